"""The sign-in of the fund managers' workbench, the reviewers' page and the applicants' page
says where a token comes from: the office admin's 账号管理 page, in the words the shared
sign-in sets down once."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

SOURCE = "由本中心管理员在“账号管理”页面发放"


@pytest.mark.parametrize("path", ["/workbench", "/review", "/grants"])
async def test_the_sign_in_says_the_admin_issues_tokens_on_the_accounts_page(served, tab, path):
    async with tab() as page:
        await page.goto(f"{served}{path}")
        await expect(page.locator("#signin [data-token-source]")).to_have_text(SOURCE)
        await expect(page.locator("#signin")).not_to_contain_text("所在队伍的管理员")

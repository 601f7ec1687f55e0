"""The sign-in of the coordinators' workbench and of the volunteers' own page says where a
token comes from — the office admin's 账号管理 page — in the words the shared sign-in sets
down once, and so does its message when no token is typed."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

SOURCE = "由本中心管理员在“账号管理”页面发放"


@pytest.mark.parametrize("path", ["/workbench", "/my"])
async def test_the_sign_in_says_the_admin_issues_tokens_on_the_accounts_page(served, tab, path):
    async with tab() as page:
        await page.goto(f"{served}{path}")
        note = page.locator("#signin [data-token-source]")
        await expect(note).to_have_text(SOURCE)
        await expect(page.locator("#signin")).not_to_contain_text("所在队伍的管理员")

        await page.locator("#signin-form button[type=submit]").click()
        await expect(page.locator("#signin-error")).to_have_text(
            f"请输入访问令牌（wst_ 开头，{SOURCE}）。"
        )


async def test_a_volunteer_token_naming_nobody_is_sent_to_the_accounts_page(token_for, signed_in):
    token = bare(await token_for(Role.volunteer, "李明"))
    async with signed_in("/my", token) as (page, errors):
        error = page.locator("#signin-error")
        await expect(error).to_contain_text("此令牌没有指明是哪一位志愿者：")
        await expect(error).to_contain_text("请本中心管理员在“账号管理”页面为您重新发放")
        await expect(page.locator("#work")).to_be_hidden()
        assert unexpected(errors) == []

"""An erasure sent again from the workbench after a dropped line — the first request arrived,
its answer did not — reads as done, not as a refusal — in a real headless Chromium, against
the real PostgreSQL and NATS."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from wushe_service.browser_testing import unexpected

from .conftest import RESIDENT


@pytest.mark.parametrize("consent", [None, {"given_by": "self"}])
async def test_an_erasure_that_arrived_already_reads_as_done(workbench, needs, resident, consent):
    someone = await resident(consent=consent) if consent else await resident()
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await page.click("#file-withdraw")
        form = page.locator("#withdraw-form")
        # The first sending arrived; its answer was lost on the way back.
        if consent:
            first = await needs.post(f"/residents/{someone}/consents/personal_data/withdraw")
        else:
            first = await needs.delete(f"/residents/{someone}/personal-data")
        assert first.status_code == 200, first.text
        await form.get_by_role("button", name="确认撤回并删除个人信息").click()
        await page.locator("#message", has_text="个人信息已删除").wait_for()
        await expect(page.locator("#file-name")).to_have_text("（个人信息已删除）")
        await expect(form.locator(".errors li")).to_have_count(0)
        assert unexpected(errors) == []

"""An application the retention closes while a coordinator has it on screen, in a real headless
Chromium: accepting it is refused in Chinese, saying why, and the row goes."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected
from wushe_volunteers.commands import application_expiry

from .test_application_expiry import submitted, sweep_time


async def test_accepting_one_expired_meanwhile_says_it_was_closed(
    volunteers, team, signed_in, token_for
):
    _team_id, coordinator = await team()
    old = await submitted(volunteers, days_ago=100)
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with signed_in("/workbench", token) as (page, errors):
        await page.click(".tab[data-tab=applications]")
        row = page.locator(f"#applications-table tr[data-application='{old}']")
        await row.wait_for()
        store = volunteers.app.state.runtime.store
        assert await application_expiry.sweep(store, sweep_time(), 90) == 1

        await row.get_by_role("button", name="接受").click()

        await expect(page.locator("#message")).to_contain_text("超过保存期限无人处理，已自动关闭")
        await expect(row).to_have_count(0)
        await expect(page.locator(".tab[data-tab=applications]")).to_have_text("报名申请")
        assert unexpected(errors) == []

"""志愿服务工作台 in a real headless Chromium: an activity cancelled already — the first try of
取消活动 went through and its answer was lost on a poor line, or another coordinator cancelled
it — is said to be cancelled when the coordinator sends the form again, not refused as a
failure; the list no longer shows it."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected


async def test_cancelling_an_activity_cancelled_meanwhile_says_it_is_done(
    signed_in, token_for, volunteers, team, activity
):
    team_id, coordinator = await team()
    activity_id = await activity(team_id, title="周六课业辅导")
    token = bare(await token_for(Role.coordinator, "赵老师", person=coordinator))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator("#activities-table tbody tr", has_text="周六课业辅导")
        await row.locator("button", has_text="取消活动").click()
        form = page.locator("#cancel-form")
        await form.locator(".what", has_text="周六课业辅导").wait_for()
        first = await volunteers.post(f"/activities/{activity_id}/cancel", json={})
        assert first.status_code == 200, first.text  # done; its answer never reached the page

        await form.locator("button[type=submit]").click()

        await page.locator(
            "#message", has_text="活动「周六课业辅导」已经取消，无须再取消"
        ).wait_for()
        await row.wait_for(state="detached")
        assert await form.is_hidden()
        assert await form.locator(".errors li").count() == 0
        assert unexpected(errors) == []

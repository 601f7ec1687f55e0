"""志愿服务工作台: 下周再办 on a weekly activity whose next week is already past (a term
resumed after the holidays) proposes the first same day of the week and time from today on, in
the office's time, and says so on the form — not a start in the past the API refuses
(starts_in_past); and the announcement gives the day of the week, as the rest of the
workbench does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected

WEEKDAYS = "一二三四五六日"


def dated(starts: datetime, ends: datetime) -> str:
    return f"{starts:%Y-%m-%d}（周{WEEKDAYS[starts.weekday()]}）{starts:%H:%M}–{ends:%H:%M}"


async def test_an_activity_of_weeks_ago_is_proposed_on_its_weekday_from_today_on(
    runtime, signed_in, token_for, volunteers, team, volunteer, signed_up
):
    team_id, coordinator = await team()
    zone = runtime.settings.zone()
    today = datetime.now(UTC).astimezone(zone)
    # Seventeen days ago, 09:00 at the office: its next week was ten days ago.
    starts = (today - timedelta(days=17)).replace(hour=9, minute=0, second=0, microsecond=0)
    await signed_up(team_id, await volunteer(), starts, hours=2)
    proposed = starts + timedelta(weeks=3)  # the first same weekday and time from today on
    assert today < proposed <= today + timedelta(weeks=1)
    ends = proposed + timedelta(hours=2)

    token = bare(await token_for(Role.coordinator, "赵老师", person=coordinator))
    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator("#activities-table tbody tr", has_text="助老理发")
        await row.get_by_role("button", name="下周再办").click(timeout=WAIT_MS)
        form = page.locator("#schedule-form")
        await expect(form.locator("[name=starts_at]")).to_have_value(
            f"{proposed:%Y-%m-%dT%H:%M}", timeout=WAIT_MS
        )
        assert await form.locator("[name=ends_at]").input_value() == f"{ends:%Y-%m-%dT%H:%M}"
        note = form.locator("#schedule-again")
        await expect(note).to_be_visible()
        await expect(note).to_contain_text(
            f"上次是 {dated(starts, starts + timedelta(hours=2))}，它的下一周已经过去"
        )
        await expect(note).to_contain_text(
            f"今天起最近的周{WEEKDAYS[starts.weekday()]}，{dated(proposed, ends)}，请核对"
        )
        await form.locator("button[type=submit]").click()
        said = f"已安排活动「助老理发」（{dated(proposed, ends)}），已公布在活动公告上，"
        message = page.locator("#message")
        await expect(message).to_have_text(f"{said}志愿者可以报名。", timeout=WAIT_MS)
        # Opened again for another, whose next week is still to come: no such note.
        await row.first.get_by_role("button", name="下周再办").wait_for(timeout=WAIT_MS)
        upcoming = page.locator("#activities-table tbody tr", has_text=f"{proposed:%Y-%m-%d}")
        await upcoming.get_by_role("button", name="下周再办").click()
        await expect(form.locator("[name=starts_at]")).to_have_value(
            f"{proposed + timedelta(weeks=1):%Y-%m-%dT%H:%M}", timeout=WAIT_MS
        )
        await expect(note).to_be_hidden()
        assert unexpected(errors) == []

    scheduled = (await volunteers.get(f"/activities?team_id={team_id}")).json()["items"]
    assert sorted(datetime.fromisoformat(a["starts_at"]) for a in scheduled) == [starts, proposed]

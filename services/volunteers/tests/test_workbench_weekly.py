"""志愿服务工作台 in a real headless Chromium: a weekly activity is scheduled again from last
week's with one tap and a check — the form filled as it was, a week later by the office's
clocks — not typed again, field by field, sixteen times a term."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_next_weeks_activity_is_scheduled_from_this_weeks(
    signed_in, token_for, volunteers, team
):
    team_id, coordinator = await team()
    site = await volunteers.post(
        "/sites",
        json={"kind": "volunteer_station", "name": "枫桥志愿服务站", "community_id": "fengshan"},
    )
    assert site.status_code == 201, site.text
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    first = await volunteers.post(
        "/activities",
        json={
            "team_id": team_id,
            "community_id": "fengshan",
            "site_id": site.json()["site_id"],
            "title": "周六课业辅导",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "capacity": 6,
            "need_categories": ["tutoring"],
        },
    )
    assert first.status_code == 201, first.text

    token = bare(await token_for(Role.coordinator, "赵老师", person=coordinator))
    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator("#activities-table tbody tr", has_text="周六课业辅导")
        await row.get_by_role("button", name="下周再办").click(timeout=WAIT_MS)
        form = page.locator("#schedule-form")
        await form.locator("[name=title]").wait_for()
        assert await form.locator("[name=title]").input_value() == "周六课业辅导"
        assert await form.locator("[name=site_id]").input_value() == site.json()["site_id"]
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已安排活动「周六课业辅导」").wait_for()
        assert unexpected(errors) == []

    scheduled = (await volunteers.get(f"/activities?team_id={team_id}")).json()["items"]
    assert len(scheduled) == 2
    again = next(a for a in scheduled if a["activity_id"] != first.json()["activity_id"])
    week = timedelta(days=7)
    assert datetime.fromisoformat(again["starts_at"]) == starts + week
    assert datetime.fromisoformat(again["ends_at"]) == starts + timedelta(hours=2) + week
    assert (again["community_id"], again["site_id"], again["capacity"]) == (
        "fengshan",
        site.json()["site_id"],
        6,
    )
    assert again["need_categories"] == ["tutoring"]

"""志愿服务工作台: an activity's time is written with its day of the week, as 我的志愿服务
and the public notice board write it, for a team that runs the same activity every week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected

WEEKDAYS = "一二三四五六日"


async def test_an_activitys_time_gives_its_day_of_the_week(
    signed_in, token_for, volunteers, runtime, team, activity
):
    team_id, coordinator = await team()
    activity_id = await activity(team_id, days=5, title="社区课业辅导")
    scheduled = (await volunteers.get(f"/activities/{activity_id}")).json()
    starts = datetime.fromisoformat(scheduled["starts_at"]).astimezone(runtime.settings.zone())
    written = f"{starts:%Y-%m-%d}（周{WEEKDAYS[starts.weekday()]}）{starts:%H:%M}–"
    assert starts > datetime.now(UTC) + timedelta(days=4)

    token = bare(await token_for(Role.coordinator, "赵老师", person=coordinator))
    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator("#activities-table tbody tr", has_text="社区课业辅导")
        await row.wait_for(timeout=WAIT_MS)
        assert written in await row.text_content()
        assert unexpected(errors) == []

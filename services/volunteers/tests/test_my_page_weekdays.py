"""我的志愿服务 on a phone: an activity's day is written with its day of the week, as the
public notice board writes it — students sign up for the weekly activity that fits their
timetable (周六上午), and a bare 2026-12-12 makes them reach for a calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected

WEEKDAYS = "一二三四五六日"


async def test_an_activitys_day_is_written_with_its_day_of_the_week(
    signed_in, token_for, volunteers, team, volunteer, activity
):
    team_id, _ = await team()
    liu = await volunteer()
    activity_id = await activity(team_id, days=4, title="社区助老周末活动")
    scheduled = (await volunteers.get(f"/activities/{activity_id}")).json()
    starts = datetime.fromisoformat(scheduled["starts_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    written = f"{starts:%Y-%m-%d}（周{WEEKDAYS[starts.weekday()]}）{starts:%H:%M}–"

    token = bare(await token_for(Role.volunteer, "小刘", person=liu))
    async with signed_in("/my", token, phone=True) as (page, errors):
        card = page.locator(f"#activities-list li[data-activity='{activity_id}']")
        await expect(card).to_contain_text(written, timeout=WAIT_MS)
        await card.get_by_role("button", name="报名").click()
        await page.locator("#message", has_text="已报名").wait_for(timeout=WAIT_MS)
        await page.click(".tab[data-tab=signups]")
        mine = page.locator(f"#signups-list li[data-activity='{activity_id}']")
        await expect(mine).to_contain_text(written, timeout=WAIT_MS)
        assert unexpected(errors) == []

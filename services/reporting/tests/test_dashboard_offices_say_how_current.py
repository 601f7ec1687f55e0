"""Beside each office's figures, the moment they count up to, and 离线 where the hub has lost
it: comparing offices, a bureau took one whose figures stopped days ago for current (its
freshness was only in the table further up)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .test_dashboard import api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


async def test_an_offices_row_says_how_current_its_figures_are_and_when_offline(
    tab, dashboard, api, seeded, office
):
    lag = await settled(api)
    [mine] = [o for o in lag["offices"] if o["office"] == office]

    async def offline(route):  # the hub has not heard from the office for a while
        response = await route.fetch()
        got = await response.json()
        for one in got["offices"]:
            one.update(
                stale=True,
                link={"stream": "WUSHE_X", "lag": 0, "seconds_since_active": 4000, "error": None},
            )
        await route.fulfill(response=response, json=got)

    async with tab() as page:
        await visit(page, dashboard)
        heading = page.locator("#offices thead th").last
        assert await heading.text_content() == "数据截至（北京时间）"
        until = page.locator(f"#offices tr[data-office='{office}'] td").last
        await until.wait_for()
        assert await until.text_content() == beijing(mine["last_event_at"])
        assert await until.locator(".badge").count() == 0  # current: nothing to flag

        await page.route("**/api/lag", offline)
        await visit(page, dashboard)
        badge = page.locator(f"#offices tr[data-office='{office}'] td:last-child .badge.stale")
        await badge.wait_for()
        assert await badge.text_content() == "离线"
        assert (await until.text_content() or "").startswith(beijing(mine["last_event_at"]))

        await visit(page, dashboard, lang="en")
        await badge.wait_for()
        assert await badge.text_content() == "Stale"

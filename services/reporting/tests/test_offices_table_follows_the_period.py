"""The offices' and communities' tables count a period's surveys, money and hours as the
figures of that office or community do: a bureau comparing offices for September read
September's cards above a table of all time."""

from __future__ import annotations

from typing import Any

from wushe_service.browser_testing import WAIT_MS

from .test_dashboard import api, dashboard, figures_of, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

SEPTEMBER = {"from": "2026-09", "to": "2026-09"}
OCTOBER = {"from": "2026-10", "to": "2026-10"}


def office_row(overview: dict[str, Any], office: str) -> dict[str, Any]:
    return next(o for o in overview["offices"] if o["office"] == office)


def community_row(places: dict[str, Any], community: str) -> dict[str, Any]:
    rows = [c for s in places["streets"] for c in s["communities"]]
    return next(c for c in rows if c["community_id"] == community)


async def test_an_offices_headline_figures_are_those_of_the_period_asked_for(api, seeded, office):
    for months in (SEPTEMBER, OCTOBER, {}):
        row = office_row((await api.get("/api/overview", params=months)).json(), office)
        figures = await figures_of(api, office=office, **months)
        assert row["surveys"] == figures["surveys"]["total"], months
        assert row["raised_fen"] == figures["money"]["raised_fen"], months
        assert row["verified_hours"] == figures["hours"]["verified"], months
        assert row["residents"] == figures["residents"]["total"], months  # a stock: now
    # The scripted history surveys once in September and three times in October.
    september = office_row((await api.get("/api/overview", params=SEPTEMBER)).json(), office)
    assert september["surveys"] == 1


async def test_a_communitys_surveys_in_the_drill_down_are_those_of_the_period(api, seeded, office):
    for months in (SEPTEMBER, OCTOBER, {}):
        places = (await api.get(f"/api/offices/{office}/communities", params=months)).json()
        for community in ("fengshan", "jiangbin"):
            figures = await figures_of(api, office=office, community=community, **months)
            row = community_row(places, community)
            assert row["surveys"] == figures["surveys"]["total"], (community, months)


async def test_a_reversed_period_of_the_overview_is_refused_naming_from(api, seeded):
    response = await api.get("/api/overview", params={"from": "2026-10", "to": "2026-09"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("from:")


async def test_the_dashboards_offices_and_communities_tables_follow_the_months_chosen(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    async with tab() as page:
        await visit(page, dashboard, office=office, **SEPTEMBER)
        office_surveys = page.locator(f"#offices tr[data-office='{office}'] td").nth(3)
        await office_surveys.wait_for(timeout=WAIT_MS)
        assert await office_surveys.text_content() == "1"
        fengshan = page.locator("#communities tr[data-community='fengshan'] td").nth(3)
        assert await fengshan.text_content() == "1"
        assert "2026-09" in (await page.text_content("#offices-title") or "")
        # Another month chosen: the tables follow at once, not at the next refresh.
        await page.fill("#from", "2026-10")
        await page.fill("#to", "2026-10")
        await page.wait_for_function(
            """office => document.querySelector(`#offices tr[data-office='${office}']`)
                 ?.cells[3].textContent === "3" """,
            arg=office,
            timeout=WAIT_MS,
        )
        assert await fengshan.text_content() == "2"
        assert "2026-10" in (await page.text_content("#places-title") or "")

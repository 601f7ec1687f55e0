"""The dashboard offers the periods a monthly or quarterly report asks for — 本月, 上月, 本季度,
上季度, 本年, 上年 — by the offices' calendar, and names a quarter or a year as reports do;
before, a head picked two months by hand for each of them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Page

from wushe_service.browser_testing import WAIT_MS

from .test_dashboard import api, dashboard, figures_of, loaded, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

MID_NOVEMBER = datetime.fromisoformat("2026-11-15T04:00:00+00:00")  # 12:00 in Beijing


async def choose(page: Page, preset: str, office: str, start: str, end: str) -> None:
    await page.select_option("#preset", preset)
    await loaded(page, office=office, **{"from": start, "to": end})


async def surveys_card(page: Page) -> int:
    value = await page.get_attribute("#kpis .card[data-key='surveys.total']", "data-value")
    return int(value or "null")


async def test_last_month_this_and_last_quarter_and_year_are_one_choice_each(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    async with tab() as page:
        await page.clock.set_fixed_time(MID_NOVEMBER)
        await visit(page, dashboard, office=office)
        assert await page.input_value("#preset") == ""  # no months chosen: none of them

        await choose(page, "last_month", office, "2026-10", "2026-10")
        october = await figures_of(api, office=office, **{"from": "2026-10", "to": "2026-10"})
        assert await surveys_card(page) == october["surveys"]["total"] == 3
        assert await page.input_value("#from") == "2026-10"
        assert await page.input_value("#to") == "2026-10"

        await choose(page, "this_month", office, "2026-11", "2026-11")
        assert await surveys_card(page) == 0

        await choose(page, "last_quarter", office, "2026-07", "2026-09")
        assert await surveys_card(page) == 1  # September's one
        assert "2026年第3季度（2026-07 至 2026-09）" in (await page.text_content("#scope") or "")
        # The exports follow: the quarter's rows.
        href = await page.get_attribute("#exports a[data-table='needs']", "href") or ""
        query = parse_qs(urlsplit(href).query)
        assert (query["from"], query["to"]) == (["2026-07"], ["2026-09"])

        await choose(page, "this_quarter", office, "2026-10", "2026-12")
        assert "2026年第4季度" in (await page.text_content("#scope") or "")

        await choose(page, "this_year", office, "2026-01", "2026-12")
        assert await surveys_card(page) == 4
        assert "2026年（2026-01 至 2026-12）" in (await page.text_content("#scope") or "")
        await choose(page, "last_year", office, "2025-01", "2025-12")
        assert await surveys_card(page) == 0

        # A link sent on, opened again: the months say which period they are.
        await page.reload()
        await loaded(page, office=office, **{"from": "2025-01", "to": "2025-12"})
        assert await page.input_value("#preset") == "last_year"
        # Months chosen by hand that are none of them read as such.
        await page.fill("#from", "2025-03")
        await loaded(page, office=office, **{"from": "2025-03", "to": "2025-12"})
        assert await page.input_value("#preset") == ""


@pytest.mark.parametrize(
    ("now", "last_month", "last_quarter"),
    [
        # 00:30 on 1 November in Beijing, still October in UTC and New York: November's.
        ("2026-10-31T16:30:00+00:00", "2026-10", ("2026-07", "2026-09")),
        # January: last month and quarter are the year before's.
        ("2027-01-10T04:00:00+00:00", "2026-12", ("2026-10", "2026-12")),
    ],
)
async def test_the_periods_are_those_of_the_offices_calendar(
    tab, dashboard, api, seeded, office, now, last_month, last_quarter
):
    async with tab(timezone_id="America/New_York") as page:
        await page.clock.set_fixed_time(datetime.fromisoformat(now))
        await visit(page, dashboard, office=office)
        await choose(page, "last_month", office, last_month, last_month)
        await choose(page, "last_quarter", office, *last_quarter)


async def test_in_english_the_periods_are_named_in_english(tab, dashboard, api, seeded, office):
    async with tab() as page:
        await page.clock.set_fixed_time(MID_NOVEMBER)
        await visit(page, dashboard, lang="en", office=office)
        options = await page.locator("#preset option").all_text_contents()
        assert options == [
            "Months chosen",
            "This month",
            "Last month",
            "This quarter",
            "Last quarter",
            "This year",
            "Last year",
        ]
        await choose(page, "last_quarter", office, "2026-07", "2026-09")
        await page.wait_for_function(
            "() => document.querySelector('#scope').textContent.includes('Q3 2026')",
            timeout=WAIT_MS,
        )

"""The offices' and communities' tables download as CSV, as the page shows them for the months
chosen: the side-by-side figures a bureau pastes into its report. The exports below are one
row per fact (a need, a wish) and `offices.csv` only each office's last event."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.async_api import Page

from .test_dashboard import OFFICE_NAME, api, dashboard, seeded, settled, tab, visit
from .test_offices_table_follows_the_period import community_row, office_row

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

QUARTER = {"from": "2026-07", "to": "2026-09"}


async def downloaded(page: Page, button: str) -> tuple[str, list[list[str]]]:
    async with page.expect_download() as download:
        await page.click(button)
    got = await download.value
    path = await got.path()
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # for Excel
    return got.suggested_filename, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def headings(rows: list[list[str]]) -> list[str]:
    return rows[0]


@pytest.mark.settings(office_name=OFFICE_NAME, public_min_count=3)
async def test_the_offices_and_communities_tables_download_as_shown_for_the_months(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    overview: dict[str, Any] = (await api.get("/api/overview", params=QUARTER)).json()
    places = (await api.get(f"/api/offices/{office}/communities", params=QUARTER)).json()
    async with tab(accept_downloads=True) as page:
        await visit(page, dashboard, office=office, **QUARTER)
        await page.locator("#communities tr[data-community='fengshan']").wait_for()

        name, rows = await downloaded(page, "#offices-csv")
        assert name == "各办事处-2026-07-2026-09.csv"
        shown = await page.locator("#offices thead th").all_text_contents()
        assert headings(rows) == shown
        assert headings(rows)[-2:] == ["筹款（元）", "数据截至（北京时间）"]
        row = office_row(overview, office)
        assert rows[1:] == [
            [
                OFFICE_NAME,
                str(row["communities"]),
                "约3",  # 3 residents, rounded to a multiple of 3 as the page says it
                "<3",  # September's one survey: withheld, as on the page
                "<3",
                str(row["volunteers"]),
                f"{row['verified_hours']:g}",
                f"{row['raised_fen'] / 100:.2f}",  # 15200.00: a number, not 15,200.00
                await page.locator("#offices tbody td").last.inner_text(),
            ]
        ]

        name, rows = await downloaded(page, "#communities-csv")
        assert name == "各社区村-2026-07-2026-09.csv"
        assert headings(rows) == await page.locator("#communities thead th").all_text_contents()
        by_name = {r[0]: r for r in rows[1:]}
        assert set(by_name) == {"丰山社区", "新建村", "江滨社区"}
        fengshan = community_row(places, "fengshan")
        assert by_name["丰山社区"][1] == "阳明街道"
        assert by_name["丰山社区"][5] == str(fengshan["volunteers"])
        assert by_name["丰山社区"][3] == "<3"  # its one survey of the quarter

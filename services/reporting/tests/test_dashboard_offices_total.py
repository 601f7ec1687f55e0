"""On a city hub the offices' table ends with their total (合计), as /api/overview counts it —
the city's own figure, which the bureau otherwise added up by hand — and its CSV with it."""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

from wushe_service.browser_testing import errors_of

from .test_dashboard import api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

TOTALS = {
    "communities": 5,
    "residents": 1234,
    "surveys": 7,
    "volunteers": 4,
    "open_needs": 3,
    "raised_fen": 2_500_050,
    "verified_hours": 6.5,
}


async def test_the_offices_of_a_hub_are_totalled_in_the_table_and_its_csv(
    tab, dashboard, api, seeded, office
):
    await settled(api)

    async def two_offices(route):  # a hub's: this office and another
        response = await route.fetch()
        got: dict[str, Any] = await response.json()
        other = copy.deepcopy(got["offices"][0]) | {"office": "weifang", "name": "潍坊"}
        got["offices"].append(other)
        got["totals"] = TOTALS
        await route.fulfill(response=response, json=got)

    async with tab(accept_downloads=True) as page:
        errors = errors_of(page)
        await page.route("**/api/overview*", two_offices)
        await visit(page, dashboard)
        total = page.locator("#offices tfoot tr")
        await total.wait_for()
        assert await total.locator("th, td").all_text_contents() == [
            "合计", "5", "1,234", "7", "3", "4", "6.5", "25,000.50", ""
        ]  # fmt: skip
        async with page.expect_download() as download:
            await page.click("#offices-csv")
        text = (await (await download.value).path()).read_bytes().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert len(rows) == 1 + 2 + 1  # headings, two offices, the total
        assert rows[-1] == ["合计", "5", "1234", "7", "3", "4", "6.5", "25000.50", ""]
        assert errors == []

    async with tab() as page:  # one office: its row is its total, none added
        await visit(page, dashboard)
        await page.locator(f"#offices tr[data-office='{office}']").wait_for()
        assert await page.locator("#offices tfoot tr").count() == 0

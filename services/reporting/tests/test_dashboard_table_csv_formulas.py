"""A table downloaded from the dashboard never carries a formula Excel would run: a community
named `=HYPERLINK(…)` is text in the communities' CSV, as in the server's exports
(`wushe_service.spreadsheet`)."""

from __future__ import annotations

import pytest

from wushe_events.catalogue import needs as n
from wushe_events.testing import envelope_of, publish, wait_until

from .test_dashboard import OFFICE_NAME, api, dashboard, seeded, settled, tab, visit
from .test_dashboard_table_csv import QUARTER, downloaded

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

FORMULA = '=HYPERLINK("http://example.invalid","点此")'


@pytest.mark.settings(office_name=OFFICE_NAME, public_min_count=3)
async def test_a_community_named_as_a_formula_downloads_as_text(
    tab, dashboard, api, seeded, office, js, consumed
):
    named = n.CommunityRegistered(community_id="formula", name=FORMULA, street="阳明街道")
    await publish(js, envelope_of(office, named))
    await wait_until(lambda: consumed(len(seeded) + 1), timeout=30, message="consumed")
    await settled(api)
    async with tab(accept_downloads=True) as page:
        await visit(page, dashboard, office=office, **QUARTER)
        await page.locator("#communities tr[data-community='formula']").wait_for()

        _, rows = await downloaded(page, "#communities-csv")

    by_id = {r[0].lstrip("'"): r for r in rows[1:]}
    assert by_id[FORMULA][0] == "'" + FORMULA  # text to Excel, shown as typed
    assert by_id["丰山社区"][0] == "丰山社区"  # other names as they are

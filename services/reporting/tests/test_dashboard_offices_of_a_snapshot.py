"""Under a snapshot (期末数), the offices' table is the snapshot's too: its cards showed the
month's close while the table below them showed today, and its communities — which a
snapshot does not keep — could be clicked into, reading the office's figures of that day
under a community's name."""

from __future__ import annotations

from datetime import date

from wushe_events.subjects import stream_name
from wushe_events.testing import publish, wait_until
from wushe_reporting import snapshots
from wushe_service.browser_testing import DEADLINE, errors_of

from .test_dashboard import api, dashboard, loaded, settled, tab, visit

__all__ = ["api", "dashboard", "tab"]  # the fixtures of test_dashboard, used here

AS_OF = date(2026, 9, 20)


async def test_a_snapshot_shows_its_own_offices_and_no_communities_of_today(
    tab, dashboard, api, js, office, history, consumed, reporting_store, database_url
):
    events = history(office)
    await publish(js, *(e for e in events if e.time < snapshots.end_of(AS_OF)))
    await snapshots.take(
        reporting_store,
        database_url,
        js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        as_of=AS_OF,
    )
    await publish(js, *(e for e in events if e.time >= snapshots.end_of(AS_OF)))
    await wait_until(lambda: consumed(len(events)), timeout=DEADLINE, message="all consumed")
    await settled(api)
    kept = (await api.get(f"/api/snapshots/{AS_OF}")).json()["overview"]
    [then] = [o for o in kept["offices"] if o["office"] == office]
    [now] = [o for o in (await api.get("/api/overview")).json()["offices"] if o["office"] == office]
    assert (then["surveys"], now["surveys"]) == (1, 4)  # a table of today would show 4

    async with tab() as page:
        errors = errors_of(page)
        await visit(page, dashboard, office=office, as_of=AS_OF.isoformat())
        surveys = page.locator(f"#offices tr[data-office='{office}'] td").nth(3)
        await page.wait_for_function(
            """office => document.querySelector(`#offices tr[data-office='${office}']`)
                 ?.cells[3].textContent === "1" """,
            arg=office,
        )
        assert (
            await page.locator(f"#offices tr[data-office='{office}'] td").nth(7).text_content()
            == f"{then['raised_fen'] / 100:,.2f}"
        )
        assert "2026-09-20 期末" in (await page.text_content("#offices-title") or "")
        assert await page.is_hidden("#places")

        # Back to the live figures: today's table, and the communities again.
        await page.select_option("#as-of", "")
        await loaded(page, office=office)
        await page.wait_for_function(
            """office => document.querySelector(`#offices tr[data-office='${office}']`)
                 ?.cells[3].textContent === "4" """,
            arg=office,
        )
        assert await surveys.text_content() == "4"
        assert await page.is_visible("#places")
        assert errors == []

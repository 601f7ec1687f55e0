"""Snapshots: every figure as it stood at the end of a day, by replay, kept for later."""

from datetime import date, datetime

import asyncpg

from wushe_events.subjects import stream_name
from wushe_events.testing import publish, wait_until
from wushe_reporting import snapshots

AS_OF = date(2026, 9, 20)  # the scripted history runs from 2026-09-01 for two months


async def take(reporting, office, database_url):
    """The snapshot as of AS_OF of the office's stream, by the running service's means."""
    runtime = reporting.app.state.runtime
    return await snapshots.take(
        runtime.store,
        database_url,
        runtime.js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        as_of=AS_OF,
        offices=runtime.settings.configured_offices(),
    )


async def test_a_snapshot_shows_the_figures_as_they_stood_at_the_end_of_that_day(
    reporting, js, office, history, database_url, consumed
):
    events = history(office)
    cutoff = snapshots.end_of(AS_OF)
    before = [e for e in events if e.time < cutoff]
    assert 0 < len(before) < len(events)
    await publish(js, *before)
    await wait_until(lambda: consumed(len(before)), message="the first part")
    then = (await reporting.get("/api/figures")).json()
    then_office = (await reporting.get(f"/api/figures?office={office}")).json()
    await publish(js, *(e for e in events if e.time >= cutoff))
    await wait_until(lambda: consumed(len(events)), message="all consumed")
    now = (await reporting.get("/api/figures")).json()
    assert now["money"] != then["money"]  # the rest of the history moved the figures

    taken = await take(reporting, office, database_url)
    assert taken["events"] == len(before)

    shown = (await reporting.get(f"/api/snapshots/{AS_OF}")).json()
    assert (shown["as_of"], shown["events"]) == (AS_OF.isoformat(), len(before))
    # Residents due a visit are counted at the snapshot's moment, not now as `then` was.
    assert shown["figures"]["residents"].pop("due_visit") == 3
    assert then["residents"].pop("due_visit") == 4
    # So is a round's state: open until its deadline (21 September), closed since.
    assert [r.pop("state") for r in shown["figures"]["grants"]["by_round"]] == ["open"]
    assert [r.pop("state") for r in then["grants"]["by_round"]] == ["closed"]
    assert shown["figures"] == then
    assert [o["office"] for o in shown["overview"]["offices"]] == [office]
    one = (await reporting.get(f"/api/snapshots/{AS_OF}?office={office}")).json()["figures"]
    one["residents"].pop("due_visit")
    then_office["residents"].pop("due_visit")
    for figures in (one, then_office):
        for r in figures["grants"]["by_round"]:
            r.pop("state")
    assert one == then_office
    listed = (await reporting.get("/api/snapshots")).json()
    assert [s["as_of"] for s in listed] == [AS_OF.isoformat()]

    missing = await reporting.get("/api/snapshots/2026-06-30")
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith("as_of 2026-06-30: no snapshot")
    assert AS_OF.isoformat() in missing.json()["detail"]
    unknown = await reporting.get(f"/api/snapshots/{AS_OF}?office=nowhere")
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("office nowhere: ")
    assert office in unknown.json()["detail"]

    connection = await asyncpg.connect(database_url)
    try:
        scratch = await connection.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'reporting_snapshot_%'"
        )
    finally:
        await connection.close()
    assert scratch == []  # the replay's schema is dropped

    # Taken again (say an offline office caught up since): the new version is shown, and the
    # one a report quoted is still there, by its taken_at.
    again = await take(reporting, office, database_url)
    assert again["taken_at"] > taken["taken_at"]
    versions = (await reporting.get("/api/snapshots")).json()
    assert [v["taken_at"] for v in versions] == [
        again["taken_at"].isoformat().replace("+00:00", "Z"),
        taken["taken_at"].isoformat().replace("+00:00", "Z"),
    ]
    latest = (await reporting.get(f"/api/snapshots/{AS_OF}")).json()
    assert latest["taken_at"] == versions[0]["taken_at"]
    quoted = await reporting.get(
        f"/api/snapshots/{AS_OF}", params={"taken_at": versions[1]["taken_at"]}
    )
    assert quoted.json()["taken_at"] == versions[1]["taken_at"]
    assert (quoted.json()["events"], quoted.json()["figures"]["money"]) == (
        len(before),
        shown["figures"]["money"],
    )
    gone = await reporting.get(
        f"/api/snapshots/{AS_OF}", params={"taken_at": "2026-01-01T00:00:00Z"}
    )
    assert gone.status_code == 404
    assert "taken at 2026-01-01T00:00:00+00:00" in gone.json()["detail"]


async def test_last_months_snapshot_is_taken_by_itself_once_offices_had_time_to_catch_up(
    reporting, js, office, history, consumed
):
    events = history(office)  # September and October 2026
    await publish(js, *events)
    await wait_until(lambda: consumed(len(events)), message="all consumed")
    runtime = reporting.app.state.runtime
    runtime.settings.reporting_month_close_hours = 24

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text)

    # Before the office's first event: no month to close.
    assert await snapshots.close_last_month(runtime, at("2026-09-15T12:00+08:00")) is None
    # October has ended, but offline offices still have a day to catch up.
    assert await snapshots.close_last_month(runtime, at("2026-11-01T20:00+08:00")) is None
    # A version taken by hand early on the 1st does not stand for the close.
    async with runtime.store.connection() as db:
        await db.execute(
            """INSERT INTO snapshots (as_of, taken_at, events, figures)
               VALUES ('2026-10-31', '2026-11-01T00:30+08:00', 1, '{}')"""
        )
    assert await snapshots.close_last_month(runtime, at("2026-11-02T00:30+08:00")) == date(
        2026, 10, 31
    )
    assert await snapshots.close_last_month(runtime, at("2026-11-20T09:00+08:00")) is None
    kept, early = (await reporting.get("/api/snapshots")).json()
    assert (kept["as_of"], kept["events"]) == ("2026-10-31", len(events))
    assert early["events"] == 1


async def test_a_snapshot_of_an_office_before_its_first_event_reads_zeros(
    reporting, office, database_url
):
    taken = await take(reporting, office, database_url)
    assert taken["events"] == 0
    shown = (await reporting.get(f"/api/snapshots/{AS_OF}")).json()
    totals = shown["overview"]["totals"]
    assert set(totals) >= {"residents", "surveys", "raised_fen", "verified_hours"}
    assert set(totals.values()) == {0}
    assert [o["office"] for o in shown["overview"]["offices"]] == [office]
    one = await reporting.get(f"/api/snapshots/{AS_OF}?office={office}")
    assert one.status_code == 200, one.text
    figures = one.json()["figures"]
    assert (figures["residents"]["total"], figures["money"]["raised_fen"]) == (0, 0)
    assert shown["figures"]["surveys"]["total"] == 0


async def test_an_empty_office_or_taken_at_is_one_not_given(reporting, office, database_url):
    await take(reporting, office, database_url)
    whole = await reporting.get(f"/api/snapshots/{AS_OF}")
    emptied = await reporting.get(f"/api/snapshots/{AS_OF}?office=&taken_at=")
    assert emptied.status_code == 200, emptied.text
    assert emptied.json() == whole.json()

"""A rebuild leaves the planner fresh statistics of the tables it filled again, against the
real PostgreSQL."""

import asyncpg

from wushe_events.subjects import stream_name
from wushe_events.testing import publish, wait_until
from wushe_reporting import rebuild
from wushe_reporting.bus import CONSUMER
from wushe_reporting.projections import TABLES


async def analysed(database_url) -> set[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            """SELECT relname FROM pg_stat_user_tables
               WHERE schemaname = 'reporting' AND last_analyze IS NOT NULL"""
        )
        return {r["relname"] for r in rows}
    finally:
        await connection.close()


async def test_every_table_a_rebuild_filled_is_analysed(
    reporting, js, office, history, database_url, consumed
):
    events = history(office)
    await publish(js, *events)
    await wait_until(lambda: consumed(len(events)), message="all consumed")
    runtime = reporting.app.state.runtime

    await rebuild.rebuild(
        runtime.store,
        runtime.js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        consumer=CONSUMER,
    )

    assert await analysed(database_url) >= {*TABLES, "tracking"}

"""The figures benchmark reads the reporting service's tables and relies on the shape of its
office: its SQL must follow the migrations, and only the last community may be small."""

import sys
from collections import Counter
from pathlib import Path

import asyncpg

from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_reporting.bus import CONSUMER
from wushe_reporting.main import MIGRATIONS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` is run from the root

from bench import figures


async def test_the_figures_benchmark_waits_on_a_table_the_reporting_service_has(database_url):
    engine = create_engine(database_url, "reporting")
    await upgrade(engine, "reporting", [MIGRATIONS])
    await engine.dispose()
    connection = await asyncpg.connect(database_url)
    try:
        assert await connection.fetchval(figures.POSITION, CONSUMER) is None
    finally:
        await connection.close()


def test_only_the_last_community_of_the_benchmark_s_office_is_small():
    events = figures.history("yuyao", communities=12)
    residents = Counter(
        e.data["community_id"] for e in events if e.type == "wushe.needs.resident.registered.v1"
    )
    communities = sorted(residents)
    assert len(communities) == 12
    assert residents[communities[-1]] == 1
    assert {residents[c] for c in communities[:-1]} == {figures.RESIDENTS}
    assert figures.RESIDENTS >= figures.LEAST

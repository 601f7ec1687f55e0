"""The benchmarks read the services' tables directly: their SQL must follow the migrations
(the HTTP benchmark once polled a table a migration had dropped, unnoticed until it ran)."""

import sys
from pathlib import Path

import asyncpg

from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_reporting.main import MIGRATIONS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` is run from the root

from bench import http


async def test_the_http_benchmark_polls_a_table_the_reporting_service_has(database_url):
    engine = create_engine(database_url, "reporting")
    await upgrade(engine, "reporting", [MIGRATIONS])
    await engine.dispose()
    connection = await asyncpg.connect(database_url)
    try:
        assert await connection.fetchval(http.COUNT, "yuyao") == 0
    finally:
        await connection.close()

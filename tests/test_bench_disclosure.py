"""The disclosure benchmark makes its round through the funds service's API and counts the
statements of a disclosure: both must follow the API (a benchmark that stops working is found
here, not on the day it is run)."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import communities, testing

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` is run from the root

from bench import disclosure


async def test_the_disclosure_benchmark_makes_its_round_and_counts_a_fixed_number(
    database_url, nats_url, office
):
    settings = testing.settings_for(FundsSettings, database_url, nats_url, office)
    async with testing.serving(create_app(settings)) as client:
        app = client.app
        async with app.state.runtime.store.connection() as db:
            await communities.upsert(db, "c1", "基准社区", "基准街道", 1, datetime.now(UTC))
        sql = testing.sql(database_url)
        one, three = (
            await disclosure.make_round(client, sql, 1),
            await disclosure.make_round(client, sql, 3),
        )
        assert await disclosure.statements(app, three) == await disclosure.statements(app, one)
        disclosed = await client.get(f"/public/rounds/{three}/disclosure")
        assert [g["expenses_fen"] for g in disclosed.json()["grants"]] == [50_000] * 3

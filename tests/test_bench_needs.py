"""The needs benchmarks' data follow the service: every row of the import's file registers (and
is on record the second time), and the office filled for the visits due is one the query reads
(a benchmark that stops working is found here, not on the day it is run)."""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wushe_needs import queries
from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.personal_data import new_office_key

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` is run from the root

from bench import needs


async def test_the_import_benchmark_registers_every_row_then_skips_them(
    database_url, nats_url, office
):
    settings = testing.settings_for(
        NeedsSettings, database_url, nats_url, office, office_key=new_office_key()
    )
    async with testing.serving(create_app(settings)) as client:
        place = {"community_id": "jizhun", "name": "基准社区", "street": "基准街道"}
        assert (await client.post("/communities", json=place)).status_code == 201
        content = needs.residents_csv(0, 30)
        _, counts = await needs.imported(client, content)
        assert counts["registered"] == 30, counts
        _, counts = await needs.imported(client, content)
        assert counts["already_registered"] == 30, counts
        _, counts = await needs.imported(client, needs.residents_csv(1, 30))
        assert counts["registered"] == 30, counts  # another run's file: other people


async def test_the_office_filled_for_the_visits_due_is_read_by_the_query(
    database_url, nats_url, office
):
    settings = testing.settings_for(
        NeedsSettings, database_url, nats_url, office, office_key=new_office_key()
    )
    async with testing.serving(create_app(settings)) as client:
        async with client.app.state.runtime.store.connection() as db:
            await needs.fill_office(db, residents=300, surveys=1_000, communities=3)
            found = await queries.due_visits(
                db,
                community_id="c1",
                group=None,
                before=datetime.now(UTC) - timedelta(days=30),
                limit=500,
                cursor=None,
            )
    assert {r["community_id"] for r in found.items} == {"c1"}
    never = [r for r in found.items if r["last_visit"] is None]
    assert never  # some never surveyed …
    assert len(never) < len(found.items)  # … and others due

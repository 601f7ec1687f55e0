"""`wushe events republish` as an operator runs it after NATS lost the office stream."""

import asyncio
import os
import subprocess
import sys

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.database import create_engine, create_pool
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_events.subjects import stream_name
from wushe_events.testing import envelope_of, publish
from wushe_needs.main import MIGRATIONS


async def test_the_relays_are_rewound_only_once_the_stream_is_gone(
    database_url, nats_url, office, js, tmp_path
):
    engine = create_engine(database_url, "needs")
    await upgrade(engine, "needs", [MIGRATIONS])
    await engine.dispose()
    pool = await create_pool(database_url, "needs")
    try:
        async with EventStore(pool, office).transaction() as tx:
            event = CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
            await tx.append(0, [event])
        await pool.execute(
            """INSERT INTO relay_checkpoints (relay, tx_id, global_position)
               VALUES ('jetstream', 9, 9)"""
        )
        await publish(js, envelope_of(office, event))
        env = {
            **os.environ,
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": database_url,
            "WUSHE_RELAY_SCHEMAS": "needs",
        }

        async def republish(*args: str) -> subprocess.CompletedProcess[str]:
            return await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "wushe_cli", "events", "republish", *args],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
            )

        refused = await republish()
        assert refused.returncode == 1
        assert "still holds 1 events" in refused.stdout
        checkpoint = "SELECT tx_id, global_position FROM relay_checkpoints"
        assert tuple(await pool.fetchrow(checkpoint)) == (9, 9)

        await js.delete_stream(stream_name(office))
        done = await republish()
        assert done.returncode == 0, done.stderr
        assert f"needs: 1 events to publish again to {stream_name(office)}" in done.stdout
        assert tuple(await pool.fetchrow(checkpoint)) == (0, 0)
    finally:
        await pool.close()

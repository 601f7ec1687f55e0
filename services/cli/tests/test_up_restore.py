"""`wushe up --restore FILE`: the office's database made again from a backup, and the bus made
to agree with it (`wushe events restored`), before the services start."""

from __future__ import annotations

import asyncio
import subprocess

import asyncpg
import pytest

from wushe_cli.up import RestoreRefused, restored_from
from wushe_embedded.postgres import local_bindir
from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.database import create_engine, create_pool, plain_url
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_events.subjects import stream_name
from wushe_events.testing import envelope_of, publish, stream_messages
from wushe_needs.main import MIGRATIONS


async def communities(database_url: str) -> list[str]:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await connection.fetch(
            "SELECT data->>'community_id' AS id FROM needs.events ORDER BY global_position"
        )
        return [row["id"] for row in rows]
    finally:
        await connection.close()


@pytest.mark.skipif(local_bindir() is None, reason="needs the PostgreSQL binaries (pg_dump)")
async def test_a_plain_sql_backup_is_restored_and_the_bus_made_to_agree(
    database_url, nats_url, office, js, tmp_path, monkeypatch
):
    monkeypatch.setenv("WUSHE_RELAY_SCHEMAS", "needs")
    engine = create_engine(database_url, "needs")
    await upgrade(engine, "needs", [MIGRATIONS])
    await engine.dispose()
    backup = tmp_path / "wushe.sql"
    pool = await create_pool(database_url, "needs")
    try:
        store = EventStore(pool, office)
        for community, then in (("fengshan", "backup"), ("xinjian", None)):
            event = CommunityRegistered(community_id=community, name="社区", street="阳明街道")
            async with store.transaction() as tx:
                await tx.append(0, [event])
            await publish(js, envelope_of(office, event))
            if then == "backup":
                bindir = local_bindir()
                assert bindir is not None
                await asyncio.to_thread(
                    subprocess.run,
                    [str(bindir / "pg_dump"), "-f", str(backup), plain_url(database_url)],
                    check=True,
                    capture_output=True,
                )
    finally:
        await pool.close()
    unreadable = tmp_path / "half.sql"
    unreadable.write_text(backup.read_text()[:2000] + "\nthis is no SQL;\n")

    with pytest.raises(
        RestoreRefused,
        match=r"psql could not read .* syntax error .*; the services were not started",
    ):
        await restored_from(unreadable, office, nats_url, database_url)
    assert await communities(database_url) == ["fengshan", "xinjian"]  # left as it was
    assert len(await stream_messages(js, stream_name(office))) == 2

    said = await restored_from(backup, office, nats_url, database_url)

    assert await communities(database_url) == ["fengshan"]
    assert await stream_messages(js, stream_name(office)) == []
    assert f"{stream_name(office)}: dropped with its 2 events" in said[0]
    assert "the restored database holds 1 events (needs 1)" in said[2]
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        checkpoint = await connection.fetchrow(
            "SELECT tx_id, global_position FROM needs.relay_checkpoints"
        )
        left = await connection.fetchval(
            "SELECT count(*) FROM pg_database WHERE datname LIKE '%\\_restoring'"
        )
    finally:
        await connection.close()
    assert checkpoint is None or tuple(checkpoint) == (0, 0)
    assert left == 0

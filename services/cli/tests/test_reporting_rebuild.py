"""`wushe reporting rebuild` and `wushe reporting snapshot` as an operator runs them."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import asyncpg

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_events.subjects import stream_name
from wushe_events.testing import envelope_of, publish
from wushe_reporting.main import MIGRATIONS


async def test_the_rebuild_command_replays_the_office_stream(
    database_url, nats_url, office, js, tmp_path
):
    engine = create_engine(database_url, "reporting")
    await upgrade(engine, "reporting", [MIGRATIONS])
    await engine.dispose()
    for slug in ("fengshan", "lanjiang"):
        event = CommunityRegistered(community_id=slug, name="社区", street="街道")
        await publish(js, envelope_of(office, event))
    env = {
        **os.environ,
        "WUSHE_OFFICE": office,
        "WUSHE_NATS_URL": nats_url,
        "WUSHE_DATABASE_URL": database_url,
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "wushe_cli", "reporting", "rebuild"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"rebuilt from 2 events of {stream_name(office)}" in done.stdout


async def test_the_snapshot_command_keeps_the_figures_of_a_past_day(
    database_url, nats_url, office, js, tmp_path
):
    engine = create_engine(database_url, "reporting")
    await upgrade(engine, "reporting", [MIGRATIONS])
    await engine.dispose()
    for slug, day in (("fengshan", 3), ("lanjiang", 30)):
        event = CommunityRegistered(community_id=slug, name="社区", street="街道")
        await publish(js, envelope_of(office, event, at=datetime(2026, 9, day, 2, tzinfo=UTC)))
    env = {
        **os.environ,
        "WUSHE_OFFICE": office,
        "WUSHE_NATS_URL": nats_url,
        "WUSHE_DATABASE_URL": database_url,
    }

    def snapshot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wushe_cli", "reporting", "snapshot", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = await asyncio.to_thread(snapshot, "--as-of", "2026-09-10")
    assert done.returncode == 0, done.stderr
    assert "snapshot as of 2026-09-10: 1 events" in done.stdout
    connection = await asyncpg.connect(database_url)
    try:
        [row] = await connection.fetch("SELECT as_of, events FROM reporting.snapshots")
    finally:
        await connection.close()
    assert (row["as_of"], row["events"]) == (date(2026, 9, 10), 1)
    not_yet = await asyncio.to_thread(snapshot, "--as-of", "2999-01-01")
    assert not_yet.returncode != 0
    assert "has not ended yet" in not_yet.stderr

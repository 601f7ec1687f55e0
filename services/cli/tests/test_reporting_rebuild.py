"""`wushe reporting rebuild` as an operator runs it."""

import asyncio
import os
import subprocess
import sys

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

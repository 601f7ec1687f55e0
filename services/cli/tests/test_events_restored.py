"""Restoring an office's database from last night's backup while NATS kept running, and
`wushe events restored` making the bus agree with it (README, Backups, Restoring a backup).

A whole office runs in this process on the real servers — the four services and the relays —
and is backed up with `pg_dump` while it works: some of its events are not yet published at the
backup (a relay stopped), and more are written after it, to be lost with the database.

Started again on the restored database alone, the office goes wrong (seen with this test, the
command left out): the volunteer registered before the backup but published after it never
reaches the needs service — the relay publishes the event again, JetStream drops it as a
duplicate, and the needs' consumer is acknowledged past it — so every claim of theirs is refused;
the wish fulfilled in the same way never becomes hours; the reporting figures miss both; and the
stream keeps the lost events, which a rebuild, a new consumer or an integrator counts beside the
new ones written at the same stream versions.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from wushe_cli.relay import RelaySettings, relays
from wushe_embedded.postgres import local_bindir
from wushe_events.database import plain_url
from wushe_events.envelope import parse
from wushe_events.jetstream import connect
from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until
from wushe_funds.main import create_app as funds_app
from wushe_funds.settings import FundsSettings
from wushe_needs.main import create_app as needs_app
from wushe_needs.settings import NeedsSettings
from wushe_reporting.bus import CONSUMER
from wushe_reporting.main import create_app as reporting_app
from wushe_reporting.rebuild import rebuild
from wushe_reporting.settings import ReportingSettings
from wushe_service import testing
from wushe_service.personal_data import new_office_key
from wushe_volunteers.main import create_app as volunteers_app
from wushe_volunteers.settings import VolunteersSettings

OFFICE_KEY = new_office_key()
COMMUNITY = "fengshan"
WRITERS = ("needs", "volunteers", "funds")


def _services() -> dict[str, Any]:
    return {
        "needs": (
            needs_app,
            NeedsSettings,
            {"office_key": OFFICE_KEY, "wish_sweep_interval": 3600},
        ),
        "volunteers": (volunteers_app, VolunteersSettings, {"office_key": OFFICE_KEY}),
        "funds": (funds_app, FundsSettings, {}),
        "reporting": (reporting_app, ReportingSettings, {}),
    }


@dataclass
class Office:
    office: str
    database_url: str
    nats_url: str
    http: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    relaying: list[asyncio.Task[None]] = field(default_factory=list)

    async def start_relays(self) -> None:
        settings = RelaySettings(
            office=self.office,
            nats_url=self.nats_url,
            database_url=self.database_url,
            relay_poll_interval=0.2,
        )
        client = await connect(self.nats_url, "test-relay")
        self.relaying = [asyncio.create_task(relay.run()) for relay in relays(settings, client)]
        self.relaying.append(asyncio.create_task(_close_when_cancelled(client)))

    async def stop_relays(self) -> None:
        for task in self.relaying:
            task.cancel()
        await asyncio.gather(*self.relaying, return_exceptions=True)
        self.relaying = []

    async def post(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.http[service].post(path, json=body)
        assert answer.status_code in (200, 201), answer.text
        return dict(answer.json())

    async def figures(self) -> dict[str, Any]:
        answer = await self.http["reporting"].get(f"/api/figures?office={self.office}")
        assert answer.status_code == 200, answer.text
        got = dict(answer.json())
        got.pop("as_of", None)
        got.pop("generated_at", None)
        return got

    async def hours(self) -> list[tuple[str, str]]:
        """Every hours record from a wish: (wish, volunteer)."""
        items = (await self.http["volunteers"].get("/hours?limit=100")).json()["items"]
        return sorted((i["source_id"], i["volunteer_id"]) for i in items if i["source"] == "wish")


async def _close_when_cancelled(client: Any) -> None:
    try:
        await asyncio.Event().wait()
    finally:
        await client.close()


@asynccontextmanager
async def running(office: str, database_url: str, nats_url: str) -> AsyncIterator[Office]:
    """The office's four services and its relays, until the block ends."""
    started = Office(office, database_url, nats_url)
    async with AsyncExitStack() as stack:
        for name, (create, kind, extra) in _services().items():
            settings = testing.settings_for(kind, database_url, nats_url, office, **extra)
            started.http[name] = await stack.enter_async_context(testing.serving(create(settings)))
        await started.start_relays()
        try:
            yield started
        finally:
            await started.stop_relays()


async def wish(office: Office, title: str) -> str:
    deadline = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    posted = await office.post(
        "needs",
        "/wishes",
        {
            "community_id": COMMUNITY,
            "category": "daily-goods",
            "title": title,
            "estimated_value_fen": 20_000,
            "deadline": deadline,
        },
    )
    return str(posted["wish_id"])


async def claim(office: Office, wish_id: str, volunteer: str) -> None:
    """Claim once the needs service knows the volunteer (from the volunteers' event)."""

    async def claimed() -> bool:
        answer = await office.http["needs"].post(
            f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer}
        )
        assert answer.status_code in (200, 409, 422), answer.text
        return answer.status_code == 200

    await wait_until(claimed, message=f"volunteer {volunteer} known to needs")


async def fulfil(office: Office, wish_id: str, volunteer: str) -> None:
    await claim(office, wish_id, volunteer)
    await office.post("needs", f"/wishes/{wish_id}/fulfil", {"claimant_id": volunteer, "hours": 1})


async def volunteer(office: Office, phone: str) -> str:
    registered = await office.post(
        "volunteers", "/volunteers", {"name": "志愿者", "phone": phone, "community_id": COMMUNITY}
    )
    return str(registered["volunteer_id"])


async def donate(office: Office, fund_id: str, amount_fen: int) -> None:
    await office.post(
        "funds",
        f"/funds/{fund_id}/donations",
        {"amount_fen": amount_fen, "donor_kind": "individual", "channel": "cash"},
    )


async def stored_event_ids(database_url: str) -> set[str]:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        ids: set[str] = set()
        for schema in WRITERS:
            rows = await connection.fetch(f"SELECT event_id FROM {schema}.events")
            ids |= {str(row["event_id"]) for row in rows}
        return ids
    finally:
        await connection.close()


async def bus_event_ids(js: Any, office: str) -> list[str]:
    return [str(parse(m.data).id) for m in await stream_messages(js, stream_name(office))]


def wushe(database_url: str, nats_url: str, office: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wushe_cli", *args],
        env={
            **os.environ,
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": database_url,
            "COLUMNS": "200",
        },
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )


async def restore(postgres_url: str, database_url: str, dump: Path) -> None:
    """The disk died: the database is made again from the backup."""
    name = database_url.partition("?")[0].rsplit("/", 1)[1]
    admin = await asyncpg.connect(plain_url(postgres_url))
    try:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    bindir = local_bindir()
    assert bindir is not None
    await asyncio.to_thread(
        subprocess.run,
        [str(bindir / "pg_restore"), "--no-owner", "-d", plain_url(database_url), str(dump)],
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(local_bindir() is None, reason="needs the PostgreSQL binaries (pg_dump)")
async def test_an_office_restored_from_its_backup_counts_each_event_once_and_misses_none(
    postgres_url, database_url, nats_url, office, js, tmp_path
):
    dump = tmp_path / "wushe.dump"
    async with running(office, database_url, nats_url) as before:
        await before.post(
            "needs",
            "/communities",
            {"community_id": COMMUNITY, "name": "丰山社区", "street": "阳明街道"},
        )

        async def known() -> bool:
            for service in ("volunteers", "funds"):
                got = await before.http[service].get(f"/communities/{COMMUNITY}")
                if got.status_code != 200:
                    return False
            return True

        await wait_until(known, message="the community known to volunteers and funds")
        alice = await volunteer(before, "13800000001")
        fund_id = str(
            (
                await before.post(
                    "funds", "/funds", {"name": "丰山社区慈善基金", "community_id": COMMUNITY}
                )
            )["fund_id"]
        )
        await donate(before, fund_id, 10_000)
        first = await wish(before, "一台电饭煲")
        await fulfil(before, first, alice)
        contested = await wish(before, "一床棉被")  # claimed after the backup, then lost

        # Written before the backup, published after it: the relays stand still a moment.
        await before.stop_relays()
        bob = await volunteer(before, "13800000002")
        second = await wish(before, "一个热水壶")
        await before.post("needs", f"/wishes/{second}/claim", {"claimant_id": alice})
        await before.post("needs", f"/wishes/{second}/fulfil", {"claimant_id": alice, "hours": 1})
        bindir = local_bindir()
        assert bindir is not None
        await asyncio.to_thread(
            subprocess.run,
            [str(bindir / "pg_dump"), "-Fc", "-f", str(dump), plain_url(database_url)],
            check=True,
            capture_output=True,
        )
        await before.start_relays()

        # Lost with the database: written after the backup, published, applied.
        carol = await volunteer(before, "13800000003")
        await fulfil(before, contested, bob)
        lost = await wish(before, "一把轮椅")
        await fulfil(before, lost, carol)
        await donate(before, fund_id, 99_900)

        async def applied() -> bool:
            figures = await before.figures()
            return len(await before.hours()) == 4 and figures["money"]["raised_fen"] == 109_900

        await wait_until(applied, message="every event applied before the disk dies")

        refused = await asyncio.to_thread(
            wushe, database_url, nats_url, office, "events", "restored"
        )
        assert refused.returncode == 1
        assert "stop the services and the relay first" in refused.stdout
        assert "wushe-needs" in refused.stdout
        assert "nothing was changed" in refused.stdout
        held = len(await bus_event_ids(js, office))
    assert len(await bus_event_ids(js, office)) == held  # refused: the bus as it was

    await restore(postgres_url, database_url, dump)
    unreachable = await asyncio.to_thread(
        wushe, database_url, "nats://127.0.0.1:1", office, "events", "restored"
    )
    assert unreachable.returncode == 1
    assert "cannot reach NATS" in unreachable.stdout
    assert "wushe up --restore FILE" in unreachable.stdout
    assert len(await bus_event_ids(js, office)) == held

    done = await asyncio.to_thread(wushe, database_url, nats_url, office, "events", "restored")
    assert done.returncode == 0, done.stdout + done.stderr
    restored_ids = await stored_event_ids(database_url)
    assert f"dropped with its {held:,} events" in done.stdout
    assert f"the restored database holds {len(restored_ids):,} events" in done.stdout
    assert await bus_event_ids(js, office) == []

    async with running(office, database_url, nats_url) as after:
        # The contested wish is posted again as the restored database has it: Bob claims it
        # at the stream version the lost claim had used, under a new event id.
        await fulfil(after, contested, bob)
        await donate(after, fund_id, 5_000)

        async def caught_up() -> bool:
            on_the_bus = await bus_event_ids(js, office)
            stored = await stored_event_ids(database_url)
            figures = await after.figures()
            return (
                sorted(on_the_bus) == sorted(stored)
                and len(await after.hours()) == 3
                and figures["money"]["raised_fen"] == 15_000
            )

        await wait_until(caught_up, timeout=60, message="the office caught up after the restore")
        # Nothing the restored database holds is missing downstream, nothing lost is counted:
        # the second wish's hours (published only after the backup) are there, once.
        assert await after.hours() == sorted([(first, alice), (second, alice), (contested, bob)])
        assert lost not in {wish_id for wish_id, _ in await after.hours()}
        assert carol not in {v for _, v in await after.hours()}
        live = await after.figures()
        assert live["wishes"]["by_state"] == {"fulfilled": 3}
        assert live["money"]["raised_fen"] == 15_000  # the lost donation counted nowhere
        runtime = after.http["reporting"].app.state.runtime  # type: ignore[attr-defined]
        await rebuild(
            runtime.store,
            runtime.js,
            stream=stream_name(office),
            subjects=runtime.settings.reporting_subjects,
            consumer=CONSUMER,
        )
        assert await after.figures() == live

"""`wushe events restored --hub`: a city hub after one of its offices restored its database.

The hub's `WUSHE_ALL` keeps the events the office lost, and cannot be purged; and a hub's
source of an office stream made again may copy nothing more (nats-server#8346). Made again,
`WUSHE_ALL` sources each office's stream from its start, and the hub's reporting service, its
read models emptied, counts each office's events as they now are (real servers: a hub and two
offices, each office's NATS a leaf node in a JetStream domain of its own).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import nats
import pytest
from nats.aio.client import Client

from wushe_cli.hub import restored_again
from wushe_cli.restored import remake_stream
from wushe_embedded import EmbeddedNats, hub_nats, office_nats
from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import DonationReceived, FundOpened
from wushe_events.envelope import Envelope, headers
from wushe_events.hub import HUB_STREAM, ensure_hub_stream
from wushe_events.jetstream import ensure_office_stream
from wushe_events.subjects import event_subject, stream_name
from wushe_events.testing import envelope_of, stream_messages, wait_until
from wushe_reporting.main import create_app
from wushe_reporting.settings import ReportingSettings
from wushe_service import testing


@dataclass
class City:
    hub: Client
    hub_url: str
    offices: dict[str, Client]


@pytest.fixture
async def city(tmp_path) -> AsyncIterator[City]:
    names = ["a" + secrets.token_hex(3), "b" + secrets.token_hex(3)]
    hub = hub_nats(
        tmp_path / "hub", {name: secrets.token_hex(8) for name in names}, preferred_port=0
    ).start()
    servers: list[EmbeddedNats] = [hub]
    clients = {}
    try:
        for office in names:
            server = office_nats(
                tmp_path / office, office, hub.leafnode_url_for(office), preferred_port=0
            )
            servers.append(server.start())
            clients[office] = await nats.connect(server.url)
            await ensure_office_stream(clients[office].jetstream(), office)  # purge denied
        hub_client = await nats.connect(hub.url)
        yield City(hub_client, hub.url, clients)
        for client in [hub_client, *clients.values()]:
            await client.close()
    finally:
        for server in servers:
            server.stop()


class Fund:
    """A fund's events as its office's relay publishes them: in order, with their ids."""

    def __init__(self, office: str) -> None:
        self.office = office
        self.id = uuid4()
        self.version = 0

    def opened(self) -> tuple[int, Event]:
        self.version = 1
        return 1, FundOpened(fund_id=self.id, community_id=None, name="慈善基金")

    def donation(self, amount_fen: int) -> tuple[int, Event]:
        self.version += 1
        event = DonationReceived(
            donation_id=uuid4(),
            fund_id=self.id,
            amount_fen=amount_fen,
            donor_kind="individual",
            donor_display=None,
        )
        return self.version, event


def envelopes(office: str, *events: tuple[int, Event]) -> list[Envelope]:
    return [envelope_of(office, event, streamversion=version) for version, event in events]


async def publish(client: Client, *sent: Envelope) -> list[str]:
    """Without `Nats-Expected-Stream` (a hub refuses to source it), as the relay does."""
    for envelope in sent:
        await client.jetstream().publish(
            event_subject(envelope.office, envelope.type),
            envelope.to_json(),
            headers=headers(envelope.id),
        )
    return [str(envelope.id) for envelope in sent]


async def on_the_hub(city: City) -> list[str]:
    return sorted(
        m.headers["Nats-Msg-Id"] for m in await stream_messages(city.hub.jetstream(), HUB_STREAM)
    )


def restored_on_hub(city: City, office: str, database_url: str, offices: list[str]):
    return subprocess.run(
        [sys.executable, "-m", "wushe_cli", "events", "restored", "--hub"],
        env={
            **os.environ,
            "WUSHE_OFFICE": office,
            "WUSHE_HUB_OFFICES": ",".join(offices),
            "WUSHE_NATS_URL": city.hub_url,
            "WUSHE_DATABASE_URL": database_url,
            "COLUMNS": "200",
        },
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_a_hub_counts_a_restored_offices_events_as_they_now_are(city, database_url):
    restoring, other = city.offices
    offices = [restoring, other]
    await ensure_hub_stream(city.hub, offices)
    fund, elsewhere = Fund(restoring), Fund(other)
    backed_up = envelopes(restoring, fund.opened(), fund.donation(100))
    kept = await publish(city.offices[restoring], *backed_up)
    lost = await publish(
        city.offices[restoring], *envelopes(restoring, fund.donation(1_000), fund.donation(10_000))
    )
    theirs = await publish(
        city.offices[other], *envelopes(other, elsewhere.opened(), elsewhere.donation(7))
    )
    everything = sorted([*kept, *lost, *theirs])

    async def copied() -> bool:
        return await on_the_hub(city) == everything

    await wait_until(copied, message="every office's events reach the hub")
    settings = testing.settings_for(
        ReportingSettings, database_url, city.hub_url, "hub", hub_offices=",".join(offices)
    )
    async with testing.serving(create_app(settings)) as hub:

        async def raised() -> bool:
            got = (await hub.get(f"/api/figures?office={restoring}")).json()
            return bool(got["money"]["raised_fen"] == 11_100)

        await wait_until(raised, message="the hub counts the office's donations")
        refused = await asyncio.to_thread(restored_on_hub, city, "hub", database_url, offices)
        assert refused.returncode == 1
        assert "wushe-reporting" in refused.stdout
        assert "nothing was changed" in refused.stdout
    assert await on_the_hub(city) == everything

    # The office restored its database from a backup taken before the lost donations, ran
    # `wushe events restored` (its stream made again), and its relays published again.
    await remake_stream(city.offices[restoring], stream_name(restoring))
    fund.version = 2  # the restored database's: the lost donations' versions are used again
    again = await publish(
        city.offices[restoring], *backed_up, *envelopes(restoring, fund.donation(5))
    )
    assert set(lost) <= set(await on_the_hub(city))  # what the hub keeps until told

    done = await asyncio.to_thread(restored_on_hub, city, "hub", database_url, offices)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{HUB_STREAM}: dropped with its {len(everything):,} events" in done.stdout

    async def sourced_again() -> list[str] | None:
        held = await on_the_hub(city)
        return held if len(held) == 5 else None

    held = await wait_until(sourced_again, message="WUSHE_ALL sources every office again")
    assert held == sorted([*again, *theirs])  # nothing lost, each event once
    async with testing.serving(create_app(settings)) as hub:

        async def counted() -> bool:
            mine = (await hub.get(f"/api/figures?office={restoring}")).json()
            others = (await hub.get(f"/api/figures?office={other}")).json()
            return (mine["money"]["raised_fen"], others["money"]["raised_fen"]) == (105, 7)

        await wait_until(counted, message="the hub counts each office's events as they are now")


async def test_wushe_hub_restored_makes_the_hub_stream_again_before_its_first_start(
    city, database_url
):
    offices = list(city.offices)
    await ensure_hub_stream(city.hub, offices)
    [lost] = await publish(city.offices[offices[0]], *envelopes(offices[0], Fund("x").opened()))

    async def copied() -> bool:
        return await on_the_hub(city) == [lost]

    await wait_until(copied, message="the event reaches the hub")
    await remake_stream(city.offices[offices[0]], stream_name(offices[0]))

    # A hub whose database has no read models yet: nothing to empty there.
    said = await restored_again(offices, city.hub_url, database_url)

    assert said[0].startswith(f"{HUB_STREAM}: dropped with its 1 events")
    assert await on_the_hub(city) == []
    sources = (await city.hub.jetstream().stream_info(HUB_STREAM)).config.sources or []
    assert [s.name for s in sources] == [stream_name(o) for o in offices]

"""End to end: a city hub reporting on two offices, one of which goes offline and comes back.

Three NATS servers: the hub's, and one per office, each office's a leaf node of the hub in a
JetStream domain of its own; the hub's `WUSHE_ALL` sources both office streams. Each office
runs its needs and funds services and its relay as processes, writing to its own database; the
hub runs the reporting service on a database of its own.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import httpx
import nats
import pytest

from wushe_embedded import EmbeddedNats, free_port, hub_nats, office_nats
from wushe_events.hub import HUB_STREAM
from wushe_events.subjects import stream_name
from wushe_events.testing import database_url_for, stream_messages, wait_until
from wushe_service.personal_data import new_office_key

from .conftest import ADMIN_TOKEN, RunningOffice, _spawn, _wait_ready, stop

pytestmark = pytest.mark.e2e

STALE_AFTER = 2.0  # seconds


@dataclass
class City:
    hub_nats: EmbeddedNats
    reporting: str  # the hub reporting service's URL
    offices: dict[str, RunningOffice]
    office_nats: dict[str, EmbeddedNats]


def _run(postgres_url: str, sql: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(postgres_url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


def _environment(office: str, nats_url: str, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "WUSHE_OFFICE": office,
        "WUSHE_NATS_URL": nats_url,
        "WUSHE_DATABASE_URL": database_url,
        "WUSHE_ADMIN_TOKEN": ADMIN_TOKEN,
        "WUSHE_HOST": "127.0.0.1",
        "WUSHE_LOG_FORMAT": "console",
    }


@pytest.fixture(scope="module")
def city(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    folder = tmp_path_factory.mktemp("city")
    suffix = secrets.token_hex(3)
    names = [f"ha{suffix}", f"hb{suffix}"]
    databases = {name: f"wushe_e2e_{name}" for name in [*names, "hub"]}
    databases["hub"] += suffix
    for database in databases.values():
        _run(postgres_url, f'CREATE DATABASE "{database}"')
    hub = hub_nats(
        folder / "hub-nats", {name: secrets.token_hex(8) for name in names}, preferred_port=0
    ).start()
    servers = {
        name: office_nats(
            folder / f"{name}-nats", name, hub.leafnode_url_for(name), preferred_port=0
        )
        for name in names
    }
    offices: dict[str, RunningOffice] = {}
    hub_processes: dict[str, RunningOffice] = {}
    try:
        for name, server in servers.items():
            server.start()
            database_url = database_url_for(postgres_url, databases[name])
            offices[name] = office = RunningOffice(
                name, database_url, server.url, {}, folder / f"{name}-logs"
            )
            office.logs.mkdir()
            base = {
                **_environment(name, server.url, database_url),
                "WUSHE_OFFICE_KEY": new_office_key(),
                "WUSHE_RELAY_SCHEMAS": "needs,funds",
                "WUSHE_RELAY_POLL_INTERVAL": "0.5",
            }
            for service in ("needs", "funds"):
                port = free_port()
                office.urls[service] = f"http://127.0.0.1:{port}"
                office.processes[service] = _spawn(
                    ["serve", service],
                    {**base, "WUSHE_PORT": str(port)},
                    office.logs / f"{service}.log",
                )
            office.processes["relay"] = _spawn(["relay"], base, office.logs / "relay.log")
        port = free_port()
        hub_office = RunningOffice(
            "hub",
            database_url_for(postgres_url, databases["hub"]),
            hub.url,
            {"reporting": f"http://127.0.0.1:{port}"},
            folder / "hub-logs",
        )
        hub_office.logs.mkdir()
        hub_processes["hub"] = hub_office
        hub_office.processes["reporting"] = _spawn(
            ["serve", "reporting"],
            {
                **_environment("hub", hub.url, hub_office.database_url),
                "WUSHE_PORT": str(port),
                "WUSHE_HUB_OFFICES": ",".join(names),
                "WUSHE_REPORTING_STALE_AFTER": str(STALE_AFTER),
            },
            hub_office.logs / "reporting.log",
        )
        for office in [*offices.values(), hub_office]:
            _wait_ready(office)
        yield City(hub, hub_office.urls["reporting"], offices, servers)
    finally:
        for office in [*offices.values(), *hub_processes.values()]:
            stop(office.processes)
        for server in [*servers.values(), hub]:
            server.stop()
        for database in databases.values():
            _run(postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def write(
    office: RunningOffice, community: str, donation_fen: int, fund_community: str | None = None
) -> None:
    """A community, a resident with a survey, and a donation to a fund (of `community`, or of
    `fund_community`, one the funds service knows already)."""
    fund_community = fund_community or community
    with office.client("needs") as needs:
        created = needs.post(
            "/communities",
            json={"community_id": community, "name": f"{community}社区", "street": "凤山街道"},
        )
        assert created.status_code in (201, 409), created.text
        resident = needs.post(
            "/residents",
            json={
                "community_id": community,
                "groups": ["elderly_alone"],
                "birth_year": 1944,
                "name": "欧阳秀兰",
                "not_a_duplicate": True,  # each write registers a resident of its own
            },
        )
        assert resident.status_code == 201, resident.text
        survey = needs.post(
            "/surveys",
            json={
                "resident_id": resident.json()["resident_id"],
                "method": "home_visit",
                "dimensions": {"physical": 2, "psychological": 1, "material": 0, "spiritual": 3},
                "needs": [],
            },
        )
        assert survey.status_code == 201, survey.text
    with office.client("funds") as funds:
        # The funds service learns of communities from the needs service's events.
        deadline = time.monotonic() + 10
        while funds.get(f"/communities/{fund_community}").status_code != 200:
            assert time.monotonic() < deadline, f"{fund_community} not known to funds in time"
            time.sleep(0.05)
        fund = funds.post(
            "/funds", json={"name": "梅园社区慈善基金", "community_id": fund_community}
        )
        assert fund.status_code == 201, fund.text
        donation = funds.post(
            f"/funds/{fund.json()['fund_id']}/donations",
            json={"amount_fen": donation_fen, "donor_kind": "individual", "channel": "cash"},
        )
        assert donation.status_code == 201, donation.text


async def hub_get(city: City, path: str) -> dict:
    # With the hub's admin token: exact figures (one resident an office is withheld to anyone).
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(base_url=city.reporting, timeout=5, headers=headers) as http:
        response = await http.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def side_by_side(city: City) -> dict[str, tuple[int, int, int]]:
    """Per office on the hub's overview: residents, surveys, money raised."""
    overview = await hub_get(city, "/api/overview")
    return {
        o["office"]: (o["residents"], o["surveys"], o["raised_fen"]) for o in overview["offices"]
    }


async def lag_of(city: City) -> dict[str, dict]:
    return {o["office"]: o for o in (await hub_get(city, "/api/lag"))["offices"]}


async def event_ids(nats_url: str, stream: str, office: str) -> list[str]:
    client = await nats.connect(nats_url)
    try:
        messages = await stream_messages(client.jetstream(), stream)
    finally:
        await client.close()
    return [m.headers["Nats-Msg-Id"] for m in messages if m.subject.startswith(f"wushe.{office}.")]


async def test_the_hub_shows_both_offices_and_an_office_back_online_catches_up_exactly_once(
    city: City,
):
    first, second = city.offices
    write(city.offices[first], "meiyuan", 10_000)
    write(city.offices[second], "dongfang", 25_000)

    async def both():
        figures = await side_by_side(city)
        wanted = {first: (1, 1, 10_000), second: (1, 1, 25_000)}
        return figures if figures == wanted else None

    await wait_until(both, timeout=30, message="both offices side by side on the hub")
    async with httpx.AsyncClient(base_url=city.reporting) as http:
        assert (await http.get("/")).status_code == 200  # the dashboard page
    lag = await lag_of(city)
    assert not lag[first]["stale"]
    assert not lag[second]["stale"]
    assert lag[second]["link"]["stream"] == stream_name(second)

    city.office_nats[second].stop()  # the office's NATS, or its line to the city, goes down
    write(city.offices[second], "dongfang", 5_000)  # accepted: the events wait in the outbox
    # A community registered while the office's NATS is down reaches the funds service only
    # once it is back: this donation goes to a fund of a community it knows.
    write(city.offices[second], "xiyuan", 7_000, fund_community="dongfang")

    async def second_stale():
        lag = await lag_of(city)
        return lag if lag[second]["stale"] else None

    lag = await wait_until(second_stale, timeout=STALE_AFTER + 10, message="the office is stale")
    assert not lag[first]["stale"]
    assert lag[second]["link"]["seconds_since_active"] > STALE_AFTER
    write(city.offices[first], "meiyuan", 3_000)  # the other office flows on meanwhile

    async def first_flows():
        figures = await side_by_side(city)
        return figures if figures[first] == (2, 2, 13_000) else None

    figures = await wait_until(first_flows, timeout=30, message="the online office flows on")
    assert figures[second] == (1, 1, 25_000)

    city.office_nats[second].start()

    async def caught_up():
        figures = await side_by_side(city)
        return figures if figures[second] == (3, 3, 37_000) else None

    figures = await wait_until(caught_up, timeout=45, message="the office catches up on the hub")
    assert figures[first] == (2, 2, 13_000)
    office_ids = await event_ids(city.office_nats[second].url, stream_name(second), second)
    hub_ids = await event_ids(city.hub_nats.url, HUB_STREAM, second)
    assert len(office_ids) >= 5 + 4 + 5  # the second write's community existed already
    assert Counter(hub_ids) == Counter(office_ids)  # every event on the hub, each exactly once
    assert set(Counter(hub_ids).values()) == {1}

    async def fresh_again():
        lag = await lag_of(city)
        return lag if not lag[second]["stale"] else None

    await wait_until(fresh_again, timeout=10, message="the office is fresh again")

"""The city hub's stream sources the offices' streams over leaf nodes (real servers)."""

import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import nats
import pytest
from nats.aio.client import Client

from wushe_embedded import EmbeddedNats, hub_nats, office_nats
from wushe_events.hub import HUB_STREAM, ensure_hub_stream, source_links
from wushe_events.jetstream import ensure_office_stream
from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until


@dataclass
class City:
    hub: Client
    offices: dict[str, Client]


@pytest.fixture
async def city(tmp_path) -> AsyncIterator[City]:
    """A hub and two offices, each office's NATS a leaf node in a JetStream domain of its own."""
    names = ["a" + secrets.token_hex(3), "b-" + secrets.token_hex(3)]
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
            await ensure_office_stream(clients[office].jetstream(), office, protect=False)
        hub_client = await nats.connect(hub.url)
        yield City(hub_client, clients)
        for client in [hub_client, *clients.values()]:
            await client.close()
    finally:
        for server in servers:
            server.stop()


async def publish(client: Client, office: str, event_id: str) -> None:
    """As the relay does: without `Nats-Expected-Stream`, which the hub would refuse."""
    ack = await client.jetstream().publish(
        f"wushe.{office}.needs.community.registered", b"{}", headers={"Nats-Msg-Id": event_id}
    )
    assert ack.stream == stream_name(office)


async def test_the_hub_stream_holds_every_event_of_every_office_once(city: City):
    offices = list(city.offices)
    assert await ensure_hub_stream(city.hub, offices) == offices
    for office, client in city.offices.items():
        for n in range(3):
            await publish(client, office, f"{office}-{n}")
        await publish(client, office, f"{office}-0")  # a relay's re-publish: de-duplicated

    async def copied():
        found = await stream_messages(city.hub.jetstream(), HUB_STREAM)
        return found if len(found) == 6 else None

    messages = await wait_until(copied, message="both offices' events reach the hub")
    ids = sorted(m.headers["Nats-Msg-Id"] for m in messages)
    assert ids == sorted(f"{o}-{n}" for o in offices for n in range(3))
    links = await source_links(city.hub)
    assert set(links) == {stream_name(o) for o in offices}
    for link in links.values():
        assert link.error is None
        assert link.lag == 0
        assert link.seconds_since_active is not None


async def test_a_new_office_is_added_and_the_operators_settings_are_kept(city: City):
    first, second = city.offices
    assert await ensure_hub_stream(city.hub, [first]) == [first]
    info = json.loads(
        (await city.hub.request(f"$JS.API.STREAM.INFO.{HUB_STREAM}", b"", timeout=5)).data
    )
    operated = {
        **info["config"],
        "description": "城市枢纽",
        "max_bytes": 10_000_000,
        "max_age": 3_650 * 86_400 * 10**9,  # ten years, in nanoseconds
    }
    reply = await city.hub.request(
        f"$JS.API.STREAM.UPDATE.{HUB_STREAM}", json.dumps(operated).encode(), timeout=5
    )
    assert "error" not in json.loads(reply.data)

    assert await ensure_hub_stream(city.hub, [first, second]) == [second]
    assert await ensure_hub_stream(city.hub, [first, second]) == []

    config = (await city.hub.jetstream().stream_info(HUB_STREAM)).config
    assert (config.description, config.max_bytes) == ("城市枢纽", 10_000_000)
    assert config.max_age == 3_650 * 86_400
    assert [s.name for s in config.sources or []] == [stream_name(first), stream_name(second)]
    await publish(city.offices[second], second, "late-office")

    async def arrived():
        return await stream_messages(city.hub.jetstream(), HUB_STREAM)

    [message] = await wait_until(arrived, message="the added office's event reaches the hub")
    assert message.headers["Nats-Msg-Id"] == "late-office"


async def test_without_a_hub_stream_there_are_no_links(city: City):
    assert await source_links(city.hub) == {}


async def sourced(city: City, office: str, event_id: str) -> None:
    """Publish an event in the office's stream and wait until the hub has copied it: what the
    office sent the hub before it has crossed the office's leaf connection too."""
    await publish(city.offices[office], office, event_id)

    async def copied():
        found = await stream_messages(city.hub.jetstream(), HUB_STREAM)
        return any(m.headers["Nats-Msg-Id"] == event_id for m in found)

    await wait_until(copied, message=f"{event_id} reaches the hub")


async def test_an_office_cannot_put_events_into_another_offices_stream(city: City):
    forger, victim = city.offices
    await ensure_hub_stream(city.hub, list(city.offices))
    heard = []

    async def on_event(message):
        heard.append(message.subject)

    await city.hub.subscribe("wushe.>", cb=on_event)
    await city.offices[victim].subscribe("wushe.>", cb=on_event)
    await city.hub.flush()
    await city.offices[victim].flush()
    await sourced(city, forger, "before")  # the forger's link to the hub is up
    subject = f"wushe.{victim}.needs.community.registered"
    await city.offices[forger].publish(subject, b"{}", headers={"Nats-Msg-Id": "forged"})
    await sourced(city, forger, "after")  # ... and has carried what was sent before this
    assert heard == []
    assert await stream_messages(city.offices[victim].jetstream(), stream_name(victim)) == []


async def test_an_office_can_neither_read_nor_overhear_another_offices_stream(city: City):
    """The hub's own sourcing works by creating consumers across the hub; an office's NATS
    must not be able to do the same, nor hear the messages the hub's sources carry."""
    snoop, victim = city.offices
    await ensure_hub_stream(city.hub, list(city.offices))
    await sourced(city, victim, "secret")
    await sourced(city, snoop, "before")
    overheard = []

    async def on_anything(message):
        overheard.append((message.subject, message.data, dict(message.headers or {})))

    await city.offices[snoop].subscribe(">", cb=on_anything)
    await city.offices[snoop].flush()
    stolen = f"steal.{secrets.token_hex(4)}"
    request = {
        "stream_name": stream_name(victim),
        "config": {"deliver_subject": stolen, "ack_policy": "none", "deliver_policy": "all"},
    }
    create = f"$JS.{victim}.API.CONSUMER.CREATE.{stream_name(victim)}"
    with pytest.raises((nats.errors.NoRespondersError, nats.errors.TimeoutError)):
        await city.offices[snoop].request(create, json.dumps(request).encode(), timeout=2)
    await sourced(city, victim, "later")  # the hub copies the victim's traffic meanwhile
    await sourced(city, snoop, "after")
    overheard = [m for m in overheard if m[0] != create]  # its own request, heard locally
    assert not [m for m in overheard if m[0].startswith((f"wushe.{victim}.", stolen))]
    assert not [m for m in overheard if victim in json.dumps([str(part) for part in m])]
    consumers = await city.offices[victim].jetstream().consumers_info(stream_name(victim))
    assert [c for c in consumers if c.config.deliver_subject == stolen] == []


async def test_no_one_across_the_hub_can_delete_or_purge_an_offices_stream(city: City):
    attacker, victim = city.offices
    stream = stream_name(victim)
    await publish(city.offices[victim], victim, "kept")
    for verb in ("STREAM.DELETE", "STREAM.PURGE"):
        for client in (city.offices[attacker], city.hub):
            with contextlib.suppress(nats.errors.TimeoutError, nats.errors.NoRespondersError):
                await client.request(f"$JS.{victim}.API.{verb}.{stream}", b"", timeout=1)
    info = await city.offices[victim].jetstream().stream_info(stream)
    assert info.state.messages == 1

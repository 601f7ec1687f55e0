"""The outbox relay against real PostgreSQL and JetStream."""

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

import jsonschema
import orjson
import pytest
from nats.js import JetStreamContext

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.consumer import Consumer, ConsumerSpec
from wushe_events.envelope import parse
from wushe_events.relay import Relay, RelayRunning, windows
from wushe_events.schemas import envelope_schema, schema_of
from wushe_events.store import EventStore, RecordedEvent
from wushe_events.subjects import office_subjects, stream_name
from wushe_events.testing import stream_messages, wait_until


def community(slug: str) -> CommunityRegistered:
    return CommunityRegistered(community_id=slug, name="丰山社区", street="阳明街道")


async def append(store: EventStore, *slugs: str) -> None:
    for slug in slugs:
        async with store.transaction() as tx:
            await tx.append(0, [community(slug)])


class RelayKilled(Exception):
    """Stands for SIGKILL at that point: the relay stops there, with nothing published after."""


async def published(js: JetStreamContext, office: str) -> list:
    return await stream_messages(js, stream_name(office))


class TestPublishing:
    async def test_committed_events_reach_the_office_stream_as_contract_envelopes(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        background,
        make_relay,
    ):
        await append(event_store, "fengshan", "lanjiang")
        background(make_relay().run())
        messages = await wait_until(
            lambda: _at_least(js, office, 2), message="two events published"
        )
        assert [m.subject for m in messages] == [f"wushe.{office}.needs.community.registered"] * 2
        for message in messages:
            body = orjson.loads(message.data)
            jsonschema.validate(body, envelope_schema())
            jsonschema.validate(body["data"], schema_of("wushe.needs.community.registered.v1"))
            envelope = parse(message.data)
            assert message.headers["Nats-Msg-Id"] == str(envelope.id)
            assert message.headers["Content-Type"] == "application/cloudevents+json"
            # Stored with the message, it would stop a city hub from sourcing it.
            assert "Nats-Expected-Stream" not in message.headers
            assert envelope.type == "wushe.needs.community.registered.v1"
            assert envelope.office == office
            assert envelope.streamversion == 1
        assert [parse(m.data).data["community_id"] for m in messages] == ["fengshan", "lanjiang"]

    async def test_events_appended_while_the_relay_runs_are_published_promptly(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        background,
        make_relay,
    ):
        relay = make_relay()
        relay.poll_interval = 30.0  # only the database notification can wake it in time
        background(relay.run())
        await wait_until(lambda: _true(relay.leading.is_set()), message="relay leading")
        await append(event_store, "fengshan")
        await wait_until(lambda: _at_least(js, office, 1), timeout=5, message="published")

    async def test_a_transaction_that_commits_late_is_still_published(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        background,
        make_relay,
    ):
        """It takes its global position first and commits after a later one was published."""
        release = asyncio.Event()
        opened = asyncio.Event()

        async def slow_writer() -> None:
            async with event_store.transaction() as tx:
                await tx.append(0, [community("drawn-first")])
                opened.set()
                await release.wait()

        writer = background(slow_writer())
        await opened.wait()
        await append(event_store, "drawn-second")
        relay = make_relay()
        async with event_store.connection() as raw:
            assert await relay.publish_batch(raw, await relay.checkpoint(raw)) == []
        release.set()
        await writer
        background(relay.run())
        messages = await wait_until(lambda: _at_least(js, office, 2), message="both published")
        assert [parse(m.data).data["community_id"] for m in messages] == [
            "drawn-first",
            "drawn-second",
        ]

    async def test_several_relays_publish_each_event_once(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        background,
        make_relay,
    ):
        relays = [make_relay() for _ in range(3)]
        for relay in relays:
            relay.publisher = _without_dedup(relay)
            background(relay.run())
        await append(event_store, *[f"c{i}" for i in range(30)])
        await wait_until(lambda: _at_least(js, office, 30), message="all published")
        ids = [parse(m.data).id for m in await published(js, office)]
        assert len(ids) == len(set(ids)) == 30
        assert sum(r.leading.is_set() for r in relays) == 1


class TestCrashes:
    async def test_killed_between_commit_and_publish_it_publishes_after_restart(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        counts,
        counting,
        background,
        make_relay,
    ):
        await append(event_store, "fengshan")
        first = make_relay()

        async def die(_recorded: RecordedEvent):
            raise RelayKilled

        first.publisher = die
        with pytest.raises(RelayKilled):
            await first.run()
        assert await published(js, office) == []

        background(make_relay().run())
        background(projection(event_store, js, office, counting).run())
        messages = await wait_until(lambda: _at_least(js, office, 1), message="published")
        assert [parse(m.data).data["community_id"] for m in messages] == ["fengshan"]
        await append(event_store, "marker")
        await wait_until(lambda: _counted(counts, "marker"), message="marker projected")
        assert await counts() == {"fengshan": 1, "marker": 1}

    async def test_a_stream_lost_with_natss_storage_is_refilled_after_a_rewind(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        background,
        make_relay,
    ):
        await append(event_store, "fengshan", "lanjiang", "jiangbin")
        running = background(make_relay().run())
        first = await wait_until(lambda: _at_least(js, office, 3), message="published")
        with pytest.raises(RelayRunning):
            await make_relay().rewind()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

        await js.delete_stream(stream_name(office))  # the disk NATS kept it on is gone
        assert await make_relay().rewind() == 3
        relay = make_relay()
        background(relay.run())
        await wait_until(lambda: _true(relay.leading.is_set()), message="relay leading")
        await append(event_store, "marker")
        again = await wait_until(lambda: _at_least(js, office, 4), message="republished")
        ids = [m.headers["Nats-Msg-Id"] for m in again]
        assert ids[:3] == [m.headers["Nats-Msg-Id"] for m in first]
        assert len(set(ids)) == len(ids) == 4

    async def test_killed_after_publish_before_checkpoint_the_republish_is_dropped(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        counts,
        counting,
        background,
        make_relay,
    ):
        await append(event_store, "fengshan")
        first = make_relay()

        async def publish_then_die(recorded: RecordedEvent):
            await first.publish(recorded)
            raise RelayKilled

        first.publisher = publish_then_die
        with pytest.raises(RelayKilled):
            await first.run()
        second = make_relay()
        acks = []

        async def spy(recorded: RecordedEvent):
            ack = await second.publish(recorded)
            acks.append(ack)
            return ack

        second.publisher = spy
        background(second.run())
        await wait_until(lambda: _true(acks), message="republished")
        assert acks[0].duplicate is True
        assert len(await published(js, office)) == 1
        background(projection(event_store, js, office, counting).run())
        await append(event_store, "marker")
        await wait_until(lambda: _counted(counts, "marker"), message="marker projected")
        assert await counts() == {"fengshan": 1, "marker": 1}

    async def test_a_republish_beyond_the_duplicate_window_still_counts_once(
        self,
        event_store: EventStore,
        js: JetStreamContext,
        office: str,
        counts,
        counting,
        background,
        make_relay,
    ):
        """The relay's checkpoint was lost (restored backup): it publishes everything again,
        long after JetStream forgot the message ids. The projection's tracking rows hold."""
        await append(event_store, "fengshan")
        relay = make_relay()
        async with event_store.connection() as raw:
            await relay.publish_batch(raw, await relay.checkpoint(raw))
        again = _without_dedup(relay)  # as if outside the duplicate window
        for recorded in await event_store.load("community", "fengshan"):
            await again(recorded)
        assert len(await published(js, office)) == 2
        background(projection(event_store, js, office, counting).run())
        await append(event_store, "marker")
        background(relay.run())
        await wait_until(lambda: _counted(counts, "marker"), message="marker projected")
        assert await counts() == {"fengshan": 1, "marker": 1}


def projection(store: EventStore, js: JetStreamContext, office: str, handler) -> Consumer:
    spec = ConsumerSpec(
        name="counter",
        stream=stream_name(office),
        filter_subject=office_subjects(office),
        handler=handler,
    )
    return Consumer(spec, store, js, office=office)


async def _counted(counts, slug: str) -> bool:
    return slug in await counts()


def _without_dedup(relay: Relay):
    """Publish with a fresh Nats-Msg-Id, so that only leadership prevents doubles."""

    async def publish(recorded: RecordedEvent):
        envelope = recorded.envelope()
        return await relay.js.publish(
            f"wushe.{recorded.office}.needs.community.registered",
            envelope.to_json(),
            stream=relay.stream,
            headers={"Nats-Msg-Id": str(uuid4())},
        )

    return publish


async def _at_least(js: JetStreamContext, office: str, count: int):
    messages = await published(js, office)
    return messages if len(messages) >= count else None


async def _true(value: bool) -> bool:
    return value


class TestWindows:
    def recorded(self, stream: str, position: int) -> RecordedEvent:
        return RecordedEvent(
            global_position=position,
            event_id=uuid4(),
            office="yuyao",
            aggregate="community",
            aggregate_id=stream,
            version=1,
            event_type=CommunityRegistered.type,
            data={},
            occurred_at=datetime.now(UTC),
        )

    def test_a_window_never_holds_two_events_of_one_stream(self):
        batch = [self.recorded(s, n) for n, s in enumerate("abcadbb")]
        cut = [[r.aggregate_id for r in window] for window in windows(batch, 256)]
        assert cut == [["a", "b", "c"], ["a", "d", "b"], ["b"]]

    def test_windows_keep_the_order_and_respect_the_size(self):
        batch = [self.recorded(f"s{n}", n) for n in range(7)]
        cut = list(windows(batch, 3))
        assert [len(w) for w in cut] == [3, 3, 1]
        assert [r.global_position for w in cut for r in w] == list(range(7))

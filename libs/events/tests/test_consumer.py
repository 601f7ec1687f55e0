"""Consumers against real JetStream and PostgreSQL: idempotence, retries, dead letters."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from nats.js import JetStreamContext

from wushe_events import dead_letters
from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.consumer import Consumer, ConsumerSpec, Poison
from wushe_events.envelope import Envelope, parse
from wushe_events.store import EventStore, Transaction
from wushe_events.subjects import (
    dead_letter_stream,
    event_subject,
    office_subjects,
    stream_name,
)
from wushe_events.testing import stream_messages, wait_until

TYPE = "wushe.needs.community.registered.v1"


def envelope(office: str, slug: str, event_id: UUID | None = None) -> Envelope:
    data = CommunityRegistered(community_id=slug, name="丰山社区", street="阳明街道").payload()
    return Envelope(
        id=event_id or uuid4(),
        source=f"/offices/{office}/needs",
        type=TYPE,
        subject=f"community/{slug}",
        time=datetime.now(UTC),
        data=data,
        office=office,
        streamversion=1,
    )


async def publish(js: JetStreamContext, office: str, body: bytes, msg_id: str | None = None):
    return await js.publish(
        event_subject(office, TYPE),
        body,
        stream=stream_name(office),
        headers={"Nats-Msg-Id": msg_id or str(uuid4())},
    )


def consumer(store: EventStore, js: JetStreamContext, office: str, handler) -> Consumer:
    spec = ConsumerSpec(
        name="counter",
        stream=stream_name(office),
        filter_subject=office_subjects(office),
        handler=handler,
        max_deliver=3,
        backoff=(0.05,),
    )
    return Consumer(spec, store, js, office=office)


class TestIdempotence:
    async def test_a_redelivered_event_changes_the_projection_once(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        twice = envelope(office, "fengshan")
        # Published twice with different message ids: JetStream stores both copies.
        await publish(js, office, twice.to_json())
        await publish(js, office, twice.to_json())
        await publish(js, office, envelope(office, "marker").to_json())
        background(consumer(event_store, js, office, counting).run())
        await wait_until(lambda: _has(counts, "marker"), message="marker counted")
        assert await counts() == {"fengshan": 1, "marker": 1}

    async def test_a_redelivery_in_a_later_batch_is_skipped(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        once = envelope(office, "fengshan")
        await publish(js, office, once.to_json())
        first = consumer(event_store, js, office, counting)
        task = background(first.run())
        await wait_until(lambda: _has(counts, "fengshan"), message="counted")
        task.cancel()
        await publish(js, office, once.to_json())  # the same event, later
        await publish(js, office, envelope(office, "marker").to_json())
        background(consumer(event_store, js, office, counting).run())
        await wait_until(lambda: _has(counts, "marker"), message="marker counted")
        assert await counts() == {"fengshan": 1, "marker": 1}

    async def test_the_position_of_the_last_applied_message_is_kept(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        for slug in ("a-1", "a-2", "a-3"):
            await publish(js, office, envelope(office, slug).to_json())
        background(consumer(event_store, js, office, counting).run())
        await wait_until(lambda: _has(counts, "a-3"), message="counted")
        async with event_store.connection() as raw:
            row = await raw.fetchrow("SELECT * FROM consumer_positions")
        assert (row["consumer"], row["stream"], row["last_seq"]) == (
            "counter",
            stream_name(office),
            3,
        )


class TestDeadLetters:
    async def test_a_poison_message_is_dead_lettered_and_later_ones_are_processed(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        await publish(js, office, b'{"not": "an envelope"}')
        await publish(js, office, envelope(office, "poison-1").to_json())
        await publish(js, office, envelope(office, "broken-1").to_json())
        await publish(js, office, envelope(office, "fengshan").to_json())
        background(consumer(event_store, js, office, counting).run())
        await wait_until(lambda: _has(counts, "fengshan"), message="good one counted")
        letters = await wait_until(
            lambda: _dead_letters(js, office, 3), timeout=15, message="three dead letters"
        )
        reasons = {m.headers["Wushe-Original-Sequence"]: m for m in letters}
        assert set(reasons) == {"1", "2", "3"}
        assert (
            "not a Wushe CloudEvents envelope" in reasons["1"].headers["Wushe-Dead-Letter-Reason"]
        )
        assert reasons["2"].headers["Wushe-Deliveries"] == "1"  # poison: no retries
        assert reasons["3"].headers["Wushe-Deliveries"] == "3"  # broken: retried, then given up
        assert parse(reasons["3"].data).data["community_id"] == "broken-1"
        assert all(m.subject == f"wushe-dlq.{office}.counter" for m in letters)
        assert await counts() == {"fengshan": 1}

    async def test_a_failure_that_heals_is_retried_rather_than_dead_lettered(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        failures = {"left": 1}

        async def flaky(tx: Transaction, env: Envelope) -> None:
            if failures["left"]:
                failures["left"] -= 1
                raise ConnectionError("the database blinked")
            await counting(tx, env)

        spec = ConsumerSpec(
            name="flaky",
            stream=stream_name(office),
            filter_subject=office_subjects(office),
            handler=flaky,
            max_deliver=3,
            backoff=(0.05,),
        )
        await publish(js, office, envelope(office, "fengshan").to_json())
        background(Consumer(spec, event_store, js, office=office).run())
        await wait_until(lambda: _has(counts, "fengshan"), message="counted on retry")
        assert await _dead_letters(js, office, 0) == []

    async def test_dead_letters_are_listed_and_applied_again_once_fixed(
        self,
        event_store,
        js,
        office,
        counts,
        counting,
        background,
    ):
        fixed: set[str] = set()

        async def picky(tx: Transaction, env: Envelope) -> None:
            slug = env.data["community_id"]
            if slug.startswith("late") and slug not in fixed:
                raise Poison(f"cannot apply {slug} yet")
            await counting(tx, env)

        first, second = envelope(office, "late-a"), envelope(office, "late-b")
        for one in (first, second, envelope(office, "fengshan")):
            await publish(js, office, one.to_json())
        running = consumer(event_store, js, office, picky)
        background(running.run())
        await wait_until(lambda: _has(counts, "fengshan"), message="the good one counted")
        letters = await wait_until(
            lambda: _listed(js, office, 2), timeout=15, message="two dead letters listed"
        )
        assert [(d.consumer, d.event_id, d.event_type, d.stream_sequence) for d in letters] == [
            ("counter", str(first.id), TYPE, 1),
            ("counter", str(second.id), TYPE, 2),
        ]
        assert letters[0].reason == "Poison: cannot apply late-a yet"
        assert "丰山社区" not in str(letters[0].summary())  # where and why, not the payload
        assert await dead_letters.read(js, office, "another-consumer") == []

        fixed.add("late-a")  # the new release knows how to apply one of them
        outcomes = await running.retry()
        assert [(o.letter.event_id, o.applied) for o in outcomes] == [
            (str(first.id), True),
            (str(second.id), False),
        ]
        assert outcomes[1].error == "Poison: cannot apply late-b yet"
        assert await counts() == {"fengshan": 1, "late-a": 1}
        [left] = await dead_letters.read(js, office)
        assert left.event_id == str(second.id)

        fixed.add("late-b")
        await running.retry()
        assert await running.retry() == []  # nothing left; nothing applied twice
        assert await counts() == {"fengshan": 1, "late-a": 1, "late-b": 1}
        assert await dead_letters.read(js, office) == []


async def _listed(js: JetStreamContext, office: str, count: int):
    letters = await dead_letters.read(js, office)
    return letters if len(letters) >= count else None


async def _has(counts, slug: str) -> bool:
    return slug in await counts()


async def _dead_letters(js: JetStreamContext, office: str, at_least: int):
    try:
        letters = await stream_messages(js, dead_letter_stream(office))
    except Exception:  # the stream is created on first use
        return [] if at_least == 0 else None
    return letters if len(letters) >= at_least else None

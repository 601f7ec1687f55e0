"""Idempotent, dead-lettering JetStream consumers whose effects commit with their tracking rows.

A consumer is a durable pull consumer. Each fetched batch (in stream order) is applied in one
PostgreSQL transaction together with a tracking row per event id, so that a redelivered event is
acknowledged and skipped. If the batch fails, its messages are retried one by one: a message that
keeps failing is naked with a back-off and, on its last delivery, published to the dead-letter
subject `wushe-dlq.<office>.<consumer>` and terminated, so that it never blocks the ones behind.
`Consumer.retry` applies them again once fixed (`wushe_events.dead_letters`).

Why not a FastStream subscriber: FastStream 0.7.8's batch pull subscriber waits for a full batch
or its timeout (latency), and when nats-py raises asyncio's TimeoutError in the middle of filling
a batch it drops the fetched messages until `ack_wait` redelivers them (seen here: 2,000 messages
took 30 s). Its per-message subscriber runs a fetched batch concurrently, which loses order.
nats-py's `fetch` returns what is available at once, up to the batch size.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import structlog
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from prometheus_client import Counter
from pydantic import ValidationError

from wushe_events import dead_letters
from wushe_events.envelope import Envelope, InvalidEnvelope, parse
from wushe_events.jetstream import ensure_dead_letter_stream, raise_if_cancelled
from wushe_events.store import EventStore, Transaction
from wushe_events.subjects import dead_letter_stream, dead_letter_subject
from wushe_events.trace import tracing

log = structlog.get_logger()

Handler = Callable[[Transaction, Envelope], Awaitable[None]]

PROCESSED = Counter("wushe_consumer_events_total", "events applied by consumers", ["consumer"])
SKIPPED = Counter("wushe_consumer_duplicates_total", "redelivered events skipped", ["consumer"])
DEAD = Counter("wushe_consumer_dead_letters_total", "events sent to dead letters", ["consumer"])


class Poison(Exception):
    """Raised by a handler for an event that can never be applied: dead-letter it at once."""


@dataclass(frozen=True)
class Retried:
    letter: dead_letters.DeadLetter
    applied: bool
    error: str | None = None


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


# Pydantic's errors repeat their input: an event's data whole, with its titles and public names.
_INPUT = re.compile(r"input_value=.*?, input_type=")


def logged(reason: str) -> str:
    """A dead letter's reason as a log line has it: the error, its field and rule, not the
    input (personal data stays out of logs; `GET /dead-letters` shows the rest, without the
    text 审计查询 withholds), cut to 200 characters."""
    return _INPUT.sub("input_value=(withheld), input_type=", reason)[:200]


@dataclass(frozen=True)
class ConsumerSpec:
    name: str  # the durable consumer's name, also the tracking key
    stream: str
    filter_subject: str
    handler: Handler
    max_deliver: int = 5  # deliveries before a failing event goes to the dead letters
    backoff: Sequence[float] = (1.0, 5.0, 15.0, 30.0, 60.0)
    batch_size: int = 256
    ack_wait: float = 60.0
    deliver_policy: DeliverPolicy = DeliverPolicy.ALL
    description: str = field(default="")
    # Take the consumer's lock (`lock`) first in each transaction: for read models that a
    # rebuild by replay writes as well, beside the live consumer.
    locked: bool = False

    def consumer_config(self) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.name,
            description=self.description or None,
            deliver_policy=self.deliver_policy,
            ack_policy=AckPolicy.EXPLICIT,  # server and docs disagree on the default
            ack_wait=self.ack_wait,
            # A backstop only: the consumer dead-letters on delivery `max_deliver` itself.
            max_deliver=self.max_deliver + 2,
            filter_subject=self.filter_subject,
            max_ack_pending=10_000,
        )


class Consumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        store: EventStore,
        js: JetStreamContext,
        *,
        office: str,
        stream_replicas: int = 1,
    ) -> None:
        self.spec = spec
        self.store = store
        self.js = js
        self.office = office
        self.stream_replicas = stream_replicas  # of the dead-letter stream, when it creates it
        self.ready = asyncio.Event()

    async def provision(self) -> None:
        """Create the durable consumer when missing; an existing one is left as operated."""
        await ensure_dead_letter_stream(self.js, self.office, self.stream_replicas)
        try:
            await self.js.consumer_info(self.spec.stream, self.spec.name)
        except NotFoundError:
            await self.js.add_consumer(self.spec.stream, self.spec.consumer_config())

    async def run(self) -> None:
        """Fetch and apply until cancelled, resubscribing after connection trouble."""
        while True:
            raise_if_cancelled()
            try:
                await self.provision()
                subscription = await self.js.pull_subscribe_bind(
                    durable=self.spec.name,
                    stream=self.spec.stream,
                )
                self.ready.set()
                try:
                    await self._pull(subscription)
                finally:
                    with contextlib.suppress(NatsError):
                        await subscription.unsubscribe()
            except (NatsError, OSError) as error:
                self.ready.clear()
                log.warning(
                    "consumer_resubscribing", consumer=self.spec.name, error=type(error).__name__
                )
                await asyncio.sleep(1.0)

    async def _pull(self, subscription: JetStreamContext.PullSubscription) -> None:
        while True:
            raise_if_cancelled()
            try:
                messages = await subscription.fetch(self.spec.batch_size, timeout=5.0)
            except TimeoutError:
                continue
            await self.process(messages)

    async def process(self, messages: Sequence[Msg]) -> None:
        batch: list[tuple[Msg, Envelope]] = []
        for message in messages:
            try:
                batch.append((message, parse(message.data)))
            except InvalidEnvelope as error:
                await self._dead_letter(message, str(error))
        if not batch:
            return
        try:
            async with self.store.transaction() as tx:
                await self._apply(tx, batch)
        except Exception:  # one of them failed; find which, one at a time
            await self._one_by_one(batch)
            return
        for message, _ in batch:
            await message.ack()

    async def _one_by_one(self, batch: list[tuple[Msg, Envelope]]) -> None:
        for message, envelope in batch:
            try:
                async with self.store.transaction() as tx:
                    await self._apply(tx, [(message, envelope)])
            except (Poison, ValidationError) as error:
                await self._dead_letter(message, _reason(error))
            except Exception as error:  # retried, then dead-lettered
                await self._retry_or_give_up(message, envelope, error)
            else:
                await message.ack()

    async def _apply(self, tx: Transaction, batch: list[tuple[Msg, Envelope]]) -> None:
        fresh = await self._handle(tx, [envelope for _, envelope in batch])
        last = batch[-1][0].metadata
        await advance_position(
            tx, self.spec.name, self.spec.stream, last.sequence.stream, last.timestamp
        )
        PROCESSED.labels(self.spec.name).inc(fresh)
        SKIPPED.labels(self.spec.name).inc(len(batch) - fresh)

    async def _handle(self, tx: Transaction, envelopes: list[Envelope]) -> int:
        """Apply the events not applied yet, with their tracking rows; how many were new."""
        name = self.spec.name
        if self.spec.locked:
            await lock(tx, name)
        seen = await already_applied(tx, name, [envelope.id for envelope in envelopes])
        fresh: dict[UUID, Envelope] = {}
        for envelope in envelopes:
            if envelope.id not in seen and envelope.id not in fresh:
                fresh[envelope.id] = envelope
        for envelope in fresh.values():
            with tracing(envelope.correlationid, str(envelope.id)):
                await self.spec.handler(tx, envelope)
        if await record_applied(tx, name, list(fresh)) != len(fresh):
            raise RuntimeError("another instance applied some of these events concurrently")
        return len(fresh)

    async def retry(self) -> list[Retried]:
        """Apply this consumer's dead letters again, oldest first; delete each one that applies
        now (or had been applied meanwhile), keep the others with the new reason. The position
        is left alone: these events are behind it."""
        outcomes: list[Retried] = []
        for letter in await dead_letters.read(self.js, self.office, self.spec.name):
            try:
                envelope = parse(letter.data)
                async with self.store.transaction() as tx:
                    fresh = await self._handle(tx, [envelope])
            except Exception as error:  # reported back: the letter stays for another day
                outcomes.append(Retried(letter, applied=False, error=_reason(error)))
                continue
            await dead_letters.remove(self.js, self.office, letter.sequence)
            PROCESSED.labels(self.spec.name).inc(fresh)
            outcomes.append(Retried(letter, applied=True))
        log.info(
            "consumer_dead_letters_retried",
            consumer=self.spec.name,
            applied=sum(o.applied for o in outcomes),
            failing=sum(not o.applied for o in outcomes),
        )
        return outcomes

    async def _retry_or_give_up(self, message: Msg, envelope: Envelope, error: Exception) -> None:
        delivered = message.metadata.num_delivered
        if delivered >= self.spec.max_deliver:
            await self._dead_letter(message, _reason(error))
            return
        delay = self.spec.backoff[min(delivered, len(self.spec.backoff)) - 1]
        log.warning(
            "consumer_retry",
            consumer=self.spec.name,
            event_id=str(envelope.id),
            event_type=envelope.type,
            delivered=delivered,
            error=type(error).__name__,
        )
        await message.nak(delay=delay)

    async def _dead_letter(self, message: Msg, reason: str) -> None:
        meta = message.metadata
        headers = dict(message.headers or {})
        headers.update(
            {
                "Nats-Msg-Id": f"{self.spec.name}:{meta.stream}:{meta.sequence.stream}",
                "Wushe-Dead-Letter-Reason": reason[:500],
                "Wushe-Dead-Letter-Consumer": self.spec.name,
                "Wushe-Original-Subject": message.subject,
                "Wushe-Original-Stream": meta.stream,
                "Wushe-Original-Sequence": str(meta.sequence.stream),
                "Wushe-Deliveries": str(meta.num_delivered),
            }
        )
        await self.js.publish(
            dead_letter_subject(self.office, self.spec.name),
            message.data,
            stream=dead_letter_stream(self.office),
            headers=headers,
            timeout=5.0,
        )
        await message.term()
        DEAD.labels(self.spec.name).inc()
        log.error(
            "consumer_dead_letter",
            consumer=self.spec.name,
            subject=message.subject,
            sequence=meta.sequence.stream,
            deliveries=meta.num_delivered,
            reason=logged(reason),
        )


async def lock(tx: Transaction, consumer: str) -> None:
    """Wait for the other transactions of `consumer` (in this schema) to end, and keep them
    waiting until this one does. A replay and the live consumer write the same rows, each in
    its own order: taken first by both, the lock makes one wait for the other where they
    would deadlock (and neither finds the other's tracking rows half written). An advisory
    lock takes no transaction id."""
    await tx.raw.execute(
        """SELECT pg_advisory_xact_lock(
               hashtextextended(concat_ws(':', 'consumer', current_schema(), $1::text), 0))""",
        consumer,
    )


async def already_applied(tx: Transaction, consumer: str, ids: list[UUID]) -> set[UUID]:
    rows = await tx.raw.fetch(
        "SELECT event_id FROM tracking WHERE consumer = $1 AND event_id = ANY($2::uuid[])",
        consumer,
        ids,
    )
    return {row["event_id"] for row in rows}


async def record_applied(tx: Transaction, consumer: str, ids: list[UUID]) -> int:
    if not ids:
        return 0
    rows = await tx.raw.fetch(
        """INSERT INTO tracking (consumer, event_id) SELECT $1, unnest($2::uuid[])
           ON CONFLICT DO NOTHING RETURNING event_id""",
        consumer,
        ids,
    )
    return len(rows)


async def advance_position(
    tx: Transaction,
    consumer: str,
    stream: str,
    sequence: int,
    event_time: datetime,
) -> None:
    await tx.raw.execute(
        """INSERT INTO consumer_positions (consumer, stream, last_seq, last_event_time)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer, stream) DO UPDATE
           SET last_seq = greatest(consumer_positions.last_seq, excluded.last_seq),
               last_event_time = excluded.last_event_time, updated_at = now()""",
        consumer,
        stream,
        sequence,
        event_time,
    )

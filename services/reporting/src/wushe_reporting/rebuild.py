"""Rebuilding the read models by replaying the stream from its start.

The facts are written idempotently, so the replay may run while the live consumer keeps
applying new events: both write the same rows. It goes in batches, each its own transaction:
one long transaction would hold back the relays' horizon (see wushe_events.store) for as long.
Each transaction first takes the consumer's lock, as the live consumer's batches do: the two
take turns, batch by batch, where they would deadlock writing the same rows in their orders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

import structlog
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from pydantic import ValidationError

from wushe_events.consumer import advance_position, lock, record_applied
from wushe_events.envelope import InvalidEnvelope, parse
from wushe_events.store import EventStore
from wushe_reporting import projections

log = structlog.get_logger()


async def stored_version(store: EventStore) -> int | None:
    async with store.connection() as db:
        version: int | None = await db.fetchval(
            "SELECT version FROM projection_versions WHERE name = $1", projections.NAME
        )
    return version


async def rebuild(
    store: EventStore,
    js: JetStreamContext,
    *,
    stream: str,
    subjects: str,
    consumer: str,
    batch: int = 500,
    progress: Callable[[int], None] = lambda _n: None,
    until: datetime | None = None,
) -> int:
    """Empty the read models and replay `stream` (its `subjects`), only the events that
    happened before `until` when given; returns the events read (those before `until`)."""
    started = time.perf_counter()
    async with store.transaction() as tx:
        await lock(tx, consumer)
        await tx.raw.execute(f"TRUNCATE {', '.join(projections.TABLES)}")
        await tx.raw.execute("DELETE FROM tracking WHERE consumer = $1", consumer)
        # Until the replay completes, the read models are no version: `/api/lag` says the
        # figures are being rebuilt, and a replay cut short (a crash) is done again at start.
        await tx.raw.execute("DELETE FROM projection_versions WHERE name = $1", projections.NAME)
    pending = (await js.stream_info(stream)).state.messages
    applied = 0
    if pending:
        subscription = await js.subscribe(
            subjects, stream=stream, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        try:
            applied = await _replay(store, subscription, consumer, stream, batch, progress, until)
        finally:
            await subscription.unsubscribe()
    async with store.connection() as db:
        # The tables were emptied and filled again under the planner's eyes: without fresh
        # statistics, until autovacuum comes by, the figures' queries run 10–30× slower.
        await db.execute(f"ANALYZE {', '.join(projections.TABLES)}, tracking")
    async with store.transaction() as tx:
        await tx.raw.execute(
            """INSERT INTO projection_versions VALUES ($1, $2)
               ON CONFLICT (name) DO UPDATE SET version = excluded.version""",
            projections.NAME,
            projections.VERSION,
        )
    seconds = time.perf_counter() - started
    log.info(
        "reporting_rebuilt",
        events=applied,
        seconds=round(seconds, 2),
        events_per_second=round(applied / seconds) if seconds else None,
    )
    return applied


async def _replay(store, subscription, consumer, stream, batch, progress, until) -> int:  # type: ignore[no-untyped-def]
    applied = 0
    done = False
    while not done:
        messages: list[Msg] = []
        while len(messages) < batch:
            try:
                message = await subscription.next_msg(timeout=10)
            except NatsTimeout:
                done = True  # nothing (more) in the stream matches the subjects
                break
            messages.append(message)
            if message.metadata.num_pending == 0:
                done = True
                break
        if not messages:
            break
        async with store.transaction() as tx:
            await lock(tx, consumer)
            ids = []
            latest: dict[str, datetime] = {}
            deferred = projections.Deferred()
            later = 0
            for message in messages:
                try:
                    envelope = parse(message.data)
                except InvalidEnvelope:
                    continue  # the live consumer dead-letters it; nothing to replay
                if until is not None and envelope.time >= until:
                    later += 1
                    continue  # after the moment a snapshot is taken at
                try:
                    await projections.apply_to(deferred, envelope)
                except ValidationError:
                    continue  # a payload its model refuses: dead-lettered live, skipped here
                ids.append(envelope.id)
                latest[envelope.office] = max(
                    envelope.time, latest.get(envelope.office, envelope.time)
                )
            await deferred.flush(tx.raw)
            for office, moment in latest.items():  # once per batch, not once per event
                await projections.seen(tx, office, moment)
            await record_applied(tx, consumer, ids)
            last = messages[-1].metadata
            await advance_position(tx, consumer, stream, last.sequence.stream, last.timestamp)
        applied += len(messages) - later
        progress(applied)
    return applied

"""The outbox relay: publishes a service's committed events to JetStream, in log order.

One relay per schema leads at a time (a PostgreSQL advisory lock on a connection of its own);
others wait on standby, so several may run for availability. It reads only below the
transaction horizon (`store.read_committed`), publishes with `Nats-Msg-Id` = event id (JetStream
drops a re-publish inside its duplicate window), checks that the acknowledgement names the
office's stream, and moves its checkpoint only after the acknowledgements. A crash anywhere
re-publishes at most the last batch; JetStream's de-duplication and the consumers' tracking
absorb it.

Publishes go out in windows whose events all belong to different streams, and the relay waits
for the window's acknowledgements together. NATS keeps the order of one connection's messages,
and an event that must be retried has no later event of its stream in flight: per-aggregate
order holds even when a publish fails.

The stream is checked on the acknowledgement rather than asserted with the
`Nats-Expected-Stream` header (nats-py's `stream=`): that header is stored with the message, and
a city hub's `WUSHE_ALL`, sourcing the office stream across JetStream domains, refuses every
message carrying it ("expected stream does not match", nats-server 2.15 as 2.10, nats-server#5240).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator, Sequence

import asyncpg
import structlog
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import PubAck
from nats.js.errors import NoStreamResponseError
from prometheus_client import Counter, Gauge

from wushe_events.envelope import headers
from wushe_events.jetstream import ensure_office_stream, raise_if_cancelled
from wushe_events.store import Position, RecordedEvent, pending_beyond_horizon
from wushe_events.store import read_committed as read_log
from wushe_events.subjects import check_office, event_subject, stream_name

log = structlog.get_logger()

PUBLISHED = Counter("wushe_relay_published_total", "events published by the relay", ["schema"])
BEHIND = Gauge(
    "wushe_relay_last_publish_timestamp_seconds",
    "when the relay last published an event",
    ["schema"],
)

Publisher = Callable[[RecordedEvent], Awaitable[PubAck]]
Connect = Callable[[], Awaitable[asyncpg.Connection]]


class RelayRunning(Exception):
    """A relay leads the schema: it must stop before its checkpoint is moved."""

    def __init__(self, schema: str) -> None:
        super().__init__(f"a relay is publishing schema {schema}: stop it first")
        self.schema = schema


def windows(batch: Sequence[RecordedEvent], size: int) -> Iterator[list[RecordedEvent]]:
    """Consecutive runs of `batch`, each at most `size` long and one event per stream."""
    window: list[RecordedEvent] = []
    streams: set[tuple[str, str]] = set()
    for recorded in batch:
        if recorded.stream in streams or len(window) == size:
            yield window
            window, streams = [], set()
        window.append(recorded)
        streams.add(recorded.stream)
    if window:
        yield window


class Relay:
    def __init__(
        self,
        js: JetStreamContext,
        *,
        office: str,
        connect: Connect,
        schema: str,
        name: str = "jetstream",
        batch_size: int = 500,
        poll_interval: float = 1.0,
        publish_timeout: float = 5.0,
        standby_interval: float = 2.0,
        protect_stream: bool = True,
        stream_replicas: int = 1,
    ) -> None:
        self.office = check_office(office)
        self.js = js
        self.connect = connect
        self.window = 256
        self.schema = schema
        self.name = name
        self.stream = stream_name(office)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.publish_timeout = publish_timeout
        self.standby_interval = standby_interval
        self.protect_stream = protect_stream
        self.stream_replicas = stream_replicas
        self.publisher: Publisher = self.publish
        self.leading = asyncio.Event()

    async def _ensure_stream(self) -> None:
        await ensure_office_stream(
            self.js, self.office, protect=self.protect_stream, replicas=self.stream_replicas
        )

    async def run(self) -> None:
        """Lead when the lock is free, else stand by; never returns until cancelled."""
        delay = 0.5
        while True:  # NATS may start after us; a cluster answers once it has a meta leader
            raise_if_cancelled()
            try:
                await self._ensure_stream()
                break
            except (TimeoutError, NatsError) as error:  # a misconfiguration too: said, slower
                log.warning(
                    "relay_waiting_for_jetstream",
                    error=type(error).__name__,
                    detail=str(error)[:300],
                    retry_in=delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        failures = 0
        while True:
            raise_if_cancelled()
            try:
                # A connection of its own: closing it, however the relay ends, frees the lock.
                raw = await self.connect()
                try:
                    if await self._try_lead(raw):
                        failures = 0
                        continue
                finally:
                    with contextlib.suppress(Exception):
                        await raw.close(timeout=5)
                await asyncio.sleep(self.standby_interval)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                failures += 1
                log.warning("relay_database_error", schema=self.schema, error=str(error))
                await asyncio.sleep(min(30.0, 0.5 * 2**failures))

    @property
    def _lock(self) -> str:
        return f"wushe-relay:{self.schema}:{self.name}"

    async def rewind(self) -> int:
        """Go back to the start of the log: the next relay to lead publishes every event again,
        to refill an office stream lost with NATS's storage. Refused (RelayRunning) while a
        relay of this schema leads; returns how many events will be published again."""
        raw = await self.connect()
        try:
            if not await raw.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", self._lock):
                raise RelayRunning(self.schema)
            try:
                await raw.execute(
                    """UPDATE relay_checkpoints SET tx_id = 0, global_position = 0,
                           updated_at = now() WHERE relay = $1""",
                    self.name,
                )
                count: int = await raw.fetchval("SELECT count(*) FROM events")
                return count
            finally:
                await raw.execute("SELECT pg_advisory_unlock(hashtext($1))", self._lock)
        finally:
            await raw.close(timeout=5)

    async def _try_lead(self, raw: asyncpg.Connection) -> bool:
        key = self._lock
        if not await raw.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            return False
        wake = asyncio.Event()

        def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
            if payload == self.schema:
                wake.set()

        await raw.add_listener("wushe_events", notified)
        log.info("relay_leading", schema=self.schema, stream=self.stream)
        self.leading.set()
        try:
            await self._lead(raw, wake)
        finally:
            self.leading.clear()
            with contextlib.suppress(Exception):
                await raw.remove_listener("wushe_events", notified)
                await raw.execute("SELECT pg_advisory_unlock(hashtext($1))", key)
        return True

    async def _lead(self, raw: asyncpg.Connection, wake: asyncio.Event) -> None:
        checkpoint = await self.checkpoint(raw)
        idle_wait = 0.005
        while True:
            raise_if_cancelled()
            wake.clear()
            published = await self.publish_batch(raw, checkpoint)
            if published:
                checkpoint = published[-1].position
                if len(published) == self.batch_size:
                    continue
            if await pending_beyond_horizon(raw, checkpoint):
                # Committed events wait behind an older open transaction: look again soon.
                idle_wait = min(idle_wait * 2, 0.25)
                timeout = idle_wait
            else:
                idle_wait = 0.005
                timeout = self.poll_interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout)

    async def publish_batch(
        self,
        raw: asyncpg.Connection,
        after: Position,
    ) -> list[RecordedEvent]:
        """Publish the next committed events after `after`; then move the checkpoint."""
        batch = await read_log(raw, after, self.batch_size)
        for window in windows(batch, self.window):
            results = await asyncio.gather(
                *(self.publisher(recorded) for recorded in window), return_exceptions=True
            )
            for result in results:
                if isinstance(result, BaseException):
                    raise result
        if batch:
            await self._save_checkpoint(raw, batch[-1].position)
            PUBLISHED.labels(self.schema).inc(len(batch))
            BEHIND.labels(self.schema).set_to_current_time()
        return batch

    async def publish(self, recorded: RecordedEvent) -> PubAck:
        """Publish one event, retrying until JetStream acknowledges it (never skip one)."""
        subject = event_subject(recorded.office, recorded.event_type)
        body = recorded.envelope_json()
        message_headers = headers(recorded.event_id)
        attempt = 0
        while True:
            raise_if_cancelled()
            try:
                ack = await self.js.publish(
                    subject, body, timeout=self.publish_timeout, headers=dict(message_headers)
                )
                if ack.stream == self.stream:
                    return ack
                log.error("relay_published_to_another_stream", stream=ack.stream)
            except NoStreamResponseError:
                await self._ensure_stream()
            except (TimeoutError, NatsError) as error:
                log.warning(
                    "relay_publish_retry",
                    event_id=str(recorded.event_id),
                    error=type(error).__name__,
                    attempt=attempt,
                )
            attempt += 1
            await asyncio.sleep(min(10.0, 0.1 * 2**attempt))

    async def checkpoint(self, raw: asyncpg.Connection) -> Position:
        await raw.execute(
            "INSERT INTO relay_checkpoints (relay) VALUES ($1) ON CONFLICT DO NOTHING",
            self.name,
        )
        row = await raw.fetchrow(
            "SELECT tx_id, global_position FROM relay_checkpoints WHERE relay = $1",
            self.name,
        )
        return Position(row["tx_id"], row["global_position"])

    async def _save_checkpoint(self, raw: asyncpg.Connection, position: Position) -> None:
        await raw.execute(
            """UPDATE relay_checkpoints SET tx_id = $2, global_position = $3, updated_at = now()
               WHERE relay = $1 AND (tx_id, global_position) < ($2, $3)""",
            self.name,
            position.tx_id,
            position.global_position,
        )

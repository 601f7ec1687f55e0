"""The event store on PostgreSQL: append with an expected version, load, read the log.

It works on an asyncpg pool (see `database.py` for why not SQLAlchemy's); an append is one
statement. A service's own tables are written on the same connection, in the same transaction.

Ordering rule: inside a transaction, load before you write. The relay orders the log by the id
of the writing transaction, which PostgreSQL assigns at its first write; a transaction that
wrote before it loaded could carry a lower id than one whose events it saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import orjson

from wushe_events import trace
from wushe_events.catalogue import Event, decode
from wushe_events.envelope import Envelope, rfc3339
from wushe_events.subjects import check_office, service_of, source

_COLUMNS = """global_position, event_id, office, aggregate, aggregate_id, version, event_type,
    data::text AS data, occurred_at, correlation_id, causation_id, tx_id"""

_INSERT = """INSERT INTO events (event_id, office, aggregate, aggregate_id, version, event_type,
                    data, occurred_at, correlation_id, causation_id, actor)"""

# The expected version must exist (so no gap can open) and the next one must not (the unique
# constraint): together, optimistic concurrency with a stream that stays 1, 2, 3, … forever.
_APPEND_ONE = f"""{_INSERT}
SELECT $1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11
WHERE $5 = 1 OR EXISTS (SELECT 1 FROM events
                        WHERE aggregate = $3 AND aggregate_id = $4 AND version = $5 - 1)
RETURNING global_position, tx_id"""

_APPEND_MANY = f"""{_INSERT}
SELECT u.event_id, $1, $2, $3, u.version, u.event_type, u.data::jsonb, $4, $5, $6, $12
FROM unnest($7::uuid[], $8::int[], $9::text[], $10::text[])
     WITH ORDINALITY AS u(event_id, version, event_type, data, n)
WHERE $11 = 0 OR EXISTS (SELECT 1 FROM events
                         WHERE aggregate = $2 AND aggregate_id = $3 AND version = $11)
ORDER BY u.n
RETURNING global_position, tx_id"""

_LOAD = f"""SELECT {_COLUMNS} FROM events
WHERE aggregate = $1 AND aggregate_id = $2 ORDER BY version"""

# Only transactions below the snapshot's xmin are finished; everything they wrote is visible,
# and nothing can still appear below the cursor (see tables.py).
_READ_COMMITTED = f"""SELECT {_COLUMNS} FROM events
WHERE (tx_id, global_position) > ($1, $2)
  AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY tx_id, global_position LIMIT $3"""

_BEYOND_HORIZON = """SELECT EXISTS (SELECT 1 FROM events
WHERE (tx_id, global_position) > ($1, $2)
  AND tx_id >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint)"""


class ConcurrencyError(Exception):
    """The stream moved on since it was loaded: reload, decide again (HTTP 409)."""

    def __init__(self, aggregate: str, aggregate_id: str, expected_version: int) -> None:
        super().__init__(
            f"{aggregate}/{aggregate_id} changed concurrently "
            f"(expected version {expected_version}); retry"
        )
        self.aggregate = aggregate
        self.aggregate_id = aggregate_id
        self.expected_version = expected_version


@dataclass(frozen=True, order=True)
class Position:
    """A point in the log, as the relay reads it: (writing transaction, global position)."""

    tx_id: int = 0
    global_position: int = 0


@dataclass(frozen=True)
class RecordedEvent:
    global_position: int
    event_id: UUID
    office: str
    aggregate: str
    aggregate_id: str
    version: int
    event_type: str
    data: dict[str, Any]
    occurred_at: datetime
    correlation_id: str | None = None
    causation_id: str | None = None
    tx_id: int = 0

    @property
    def position(self) -> Position:
        return Position(self.tx_id, self.global_position)

    def event(self) -> Event:
        return decode(self.event_type, self.data)

    @property
    def stream(self) -> tuple[str, str]:
        return (self.aggregate, self.aggregate_id)

    def envelope_json(self) -> bytes:
        """The envelope as published: the document `envelope().to_json()` gives, built without
        validating again what the store itself wrote (the relay's hot path)."""
        body: dict[str, Any] = {
            "specversion": "1.0",
            "id": str(self.event_id),
            "source": source(self.office, service_of(self.event_type)),
            "type": self.event_type,
            "subject": f"{self.aggregate}/{self.aggregate_id}",
            "time": rfc3339(self.occurred_at),
            "datacontenttype": "application/json",
            "data": self.data,
            "office": self.office,
            "streamversion": self.version,
        }
        if self.correlation_id is not None:
            body["correlationid"] = self.correlation_id
        if self.causation_id is not None:
            body["causationid"] = self.causation_id
        return orjson.dumps(body)

    def envelope(self) -> Envelope:
        return Envelope(
            id=self.event_id,
            source=source(self.office, service_of(self.event_type)),
            type=self.event_type,
            subject=f"{self.aggregate}/{self.aggregate_id}",
            time=self.occurred_at,
            data=self.data,
            office=self.office,
            streamversion=self.version,
            correlationid=self.correlation_id,
            causationid=self.causation_id,
        )


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    values = dict(row)
    values["data"] = orjson.loads(values["data"])
    return RecordedEvent(**values)


AppendHook = Callable[["Transaction", RecordedEvent], Awaitable[None]]


class Transaction:
    """One unit of work: loads, appends and a service's own writes (on `raw`) commit or roll
    back together."""

    def __init__(self, raw: asyncpg.Connection, office: str, hooks: Sequence[AppendHook] = ()):
        self.raw = raw
        self.office = office
        self.appended: list[RecordedEvent] = []
        self._hooks = hooks

    async def load(self, aggregate: str, aggregate_id: str) -> list[RecordedEvent]:
        return [_recorded(row) for row in await self.raw.fetch(_LOAD, aggregate, aggregate_id)]

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A part of the transaction that an error undoes alone (a SAVEPOINT), what it appended
        included; the rest goes on, to commit or roll back as one."""
        kept = len(self.appended)
        try:
            async with self.raw.transaction():
                yield
        except BaseException:
            del self.appended[kept:]
            raise

    async def append(
        self,
        expected_version: int,
        events: Sequence[Event],
        *,
        now: datetime | None = None,
    ) -> list[RecordedEvent]:
        """Append `events` (one stream) after `expected_version`; raise ConcurrencyError if the
        stream is not at that version. Returns them as recorded."""
        if not events:
            return []
        first = events[0]
        aggregate, aggregate_id = first.aggregate, first.aggregate_id
        if any((e.aggregate, e.aggregate_id) != (aggregate, aggregate_id) for e in events):
            raise ValueError("one append writes to one stream")
        occurred_at = now or datetime.now(UTC)
        context = trace.current()
        ids = [uuid4() for _ in events]
        versions = list(range(expected_version + 1, expected_version + len(events) + 1))
        payloads = [e.payload() for e in events]
        texts = [orjson.dumps(p).decode() for p in payloads]
        try:
            if len(events) == 1:
                rows = await self.raw.fetch(
                    _APPEND_ONE,
                    ids[0],
                    self.office,
                    aggregate,
                    aggregate_id,
                    versions[0],
                    first.type,
                    texts[0],
                    occurred_at,
                    context.correlation_id,
                    context.causation_id,
                    context.actor,
                )
            else:
                rows = await self.raw.fetch(
                    _APPEND_MANY,
                    self.office,
                    aggregate,
                    aggregate_id,
                    occurred_at,
                    context.correlation_id,
                    context.causation_id,
                    ids,
                    versions,
                    [e.type for e in events],
                    texts,
                    expected_version,
                    context.actor,
                )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == "events_stream_version":
                raise ConcurrencyError(aggregate, aggregate_id, expected_version) from None
            raise
        if len(rows) != len(events):
            raise ConcurrencyError(aggregate, aggregate_id, expected_version)
        recorded = [
            RecordedEvent(
                global_position=row["global_position"],
                event_id=event_id,
                office=self.office,
                aggregate=aggregate,
                aggregate_id=aggregate_id,
                version=version,
                event_type=event.type,
                data=payload,
                occurred_at=occurred_at,
                correlation_id=context.correlation_id,
                causation_id=context.causation_id,
                tx_id=row["tx_id"],
            )
            for row, event_id, version, event, payload in zip(
                sorted(rows, key=lambda r: r["global_position"]),
                ids,
                versions,
                events,
                payloads,
                strict=True,
            )
        ]
        self.appended += recorded
        for hook in self._hooks:
            for one in recorded:
                await hook(self, one)
        return recorded


class EventStore:
    """The event store of one service (its schema) in one office.

    `hooks` run after each appended event, in its transaction: a service keeps its own read
    tables (lists, boards) consistent with its events that way.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        office: str,
        *,
        hooks: Sequence[AppendHook] = (),
    ) -> None:
        self.office = check_office(office)
        self.pool = pool
        self.hooks = list(hooks)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self.pool.acquire() as raw, raw.transaction():
            yield Transaction(raw, self.office, self.hooks)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection outside any transaction, for reads."""
        async with self.pool.acquire() as raw:
            yield raw

    async def load(self, aggregate: str, aggregate_id: str) -> list[RecordedEvent]:
        async with self.connection() as raw:
            return [_recorded(row) for row in await raw.fetch(_LOAD, aggregate, aggregate_id)]


async def read_committed(
    raw: asyncpg.Connection,
    after: Position,
    limit: int,
) -> list[RecordedEvent]:
    """The next events after `after` whose transactions are all finished, in log order."""
    rows = await raw.fetch(_READ_COMMITTED, after.tx_id, after.global_position, limit)
    return [_recorded(row) for row in rows]


async def pending_beyond_horizon(raw: asyncpg.Connection, after: Position) -> bool:
    """True when committed events wait behind a transaction that is still open."""
    return bool(await raw.fetchval(_BEYOND_HORIZON, after.tx_id, after.global_position))

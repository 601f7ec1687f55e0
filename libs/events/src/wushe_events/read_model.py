"""A service's read tables, kept in step with its own events by one function per event type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from wushe_events.catalogue import Event, decode
from wushe_events.store import EventStore, RecordedEvent, Transaction

Apply = Callable[[asyncpg.Connection, Any, datetime], Awaitable[None]]

_REPLAY = """SELECT global_position, event_type, data::text AS data, occurred_at
FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2"""


@dataclass(frozen=True)
class ReadModel:
    """`project` runs after each appended event, in the same transaction (an `EventStore`
    hook), so a list never disagrees with the events; `rebuild` replays the whole log into
    the emptied `tables`."""

    tables: tuple[str, ...]
    apply: Mapping[type[Event], Apply]

    async def project(self, tx: Transaction, recorded: RecordedEvent) -> None:
        """The `EventStore` hook: bring the read tables up to this event."""
        event = recorded.event()
        if (apply := self.apply.get(type(event))) is not None:
            await apply(tx.raw, event, recorded.occurred_at)

    async def rebuild(self, store: EventStore, batch: int = 1000) -> int:
        """Empty the read tables and replay every event into them; returns the events replayed."""
        replayed = 0
        async with store.transaction() as tx:
            await tx.raw.execute(f"TRUNCATE {', '.join(self.tables)}")
            position = 0
            while rows := await tx.raw.fetch(_REPLAY, position, batch):
                for row in rows:
                    event = decode(row["event_type"], orjson.loads(row["data"]))
                    if (apply := self.apply.get(type(event))) is not None:
                        await apply(tx.raw, event, row["occurred_at"])
                replayed += len(rows)
                position = rows[-1]["global_position"]
        return replayed

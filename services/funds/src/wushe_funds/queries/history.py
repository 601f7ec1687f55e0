"""The funds' event log as read back: a stream's events, and what funds and rounds
opened with (their names, their community), which nothing changes after."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from wushe_events.catalogue import Event, decode
from wushe_events.catalogue.funds import FundOpened, RoundOpened
from wushe_events.errors import NotFound
from wushe_service import communities

Recorded = tuple[Event, UUID, datetime]


_STREAM = """SELECT event_id, event_type, data::text AS data, occurred_at FROM events
    WHERE aggregate = $1 AND aggregate_id = $2 ORDER BY version"""


def decoded(rows: list[asyncpg.Record]) -> list[Recorded]:
    return [
        (decode(r["event_type"], orjson.loads(r["data"])), r["event_id"], r["occurred_at"])
        for r in rows
    ]


async def stream(db: asyncpg.Connection, aggregate: str, aggregate_id: UUID) -> list[Recorded]:
    return decoded(await db.fetch(_STREAM, aggregate, str(aggregate_id)))


async def streams(
    db: asyncpg.Connection, aggregate: str, ids: set[UUID]
) -> dict[UUID, list[Recorded]]:
    """Several streams of one kind read at once, each in its order (none for an id without
    events): one query, however many."""
    rows = await db.fetch(
        """SELECT aggregate_id, event_id, event_type, data::text AS data, occurred_at FROM events
           WHERE aggregate = $1 AND aggregate_id = ANY($2::text[])
           ORDER BY aggregate_id, version""",
        aggregate,
        [str(i) for i in ids],
    )
    by_id: dict[UUID, list[asyncpg.Record]] = {}
    for row in rows:
        by_id.setdefault(UUID(row["aggregate_id"]), []).append(row)
    return {the_id: decoded(of_it) for the_id, of_it in by_id.items()}


async def fund_opened(db: asyncpg.Connection, fund_id: UUID) -> FundOpened:
    """The event that opened a fund: its name and community, which nothing changes after."""
    row = await db.fetchrow(
        """SELECT event_type, data::text AS data FROM events
           WHERE aggregate = 'fund' AND aggregate_id = $1 AND version = 1""",
        str(fund_id),
    )
    if row is None:
        raise NotFound("fund", fund_id)
    opened = decode(row["event_type"], orjson.loads(row["data"]))
    assert isinstance(opened, FundOpened)
    return opened


async def opened_names(
    db: asyncpg.Connection, aggregate: str, ids: set[UUID]
) -> dict[UUID, str | None]:
    """The names rounds (or funds) opened with, which nothing changes after: their first
    events, read at once, rather than a fold of each stream."""
    rows = await db.fetch(
        """SELECT aggregate_id, event_type, data::text AS data FROM events
           WHERE aggregate = $1 AND aggregate_id = ANY($2::text[]) AND version = 1""",
        aggregate,
        [str(i) for i in ids],
    )
    names: dict[UUID, str | None] = {}
    for row in rows:
        opened = decode(row["event_type"], orjson.loads(row["data"]))
        assert isinstance(opened, RoundOpened | FundOpened)
        names[UUID(row["aggregate_id"])] = opened.name
    return names


async def community_of(db: asyncpg.Connection, community_id: str | None) -> dict[str, Any]:
    """A community's public name and street, as the needs service registered them (None for
    an office-wide fund, or one whose community this service has not heard of)."""
    names = await communities.names(db, {community_id} if community_id else set())
    return community_in(names, community_id)


def community_in(names: dict[str, dict[str, str]], community_id: str | None) -> dict[str, Any]:
    """A community's public name and street out of `communities.names`, read for several."""
    known = names.get(community_id or "", {})
    return {"community_name": known.get("name"), "community_street": known.get("street")}

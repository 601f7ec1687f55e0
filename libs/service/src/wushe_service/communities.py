"""A service's replica of the needs service's communities (社区/村): the volunteers and funds
services take no community they have not heard of, and show communities by name.

Each keeps the table `communities` in its own schema (its migrations), written by a durable
consumer of `wushe.<office>.needs.community.>` read from the stream's start (`consumer`), with
its tracking row, and read by the commands that name a community and by `GET /communities`
and `GET /communities/{id}` (`router`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from fastapi import APIRouter

from wushe_events.catalogue import UnknownEventType
from wushe_events.catalogue.needs import CommunityRegistered, CommunityRenamed
from wushe_events.consumer import ConsumerSpec
from wushe_events.envelope import Envelope
from wushe_events.errors import NotFound, RuleBroken
from wushe_events.store import Transaction
from wushe_events.subjects import stream_name
from wushe_service import paging
from wushe_service.api import AnyRole, Db
from wushe_service.sql import Condition, one


async def upsert(
    db: asyncpg.Connection,
    community_id: str,
    name: str,
    street: str,
    version: int,
    at: datetime,
) -> None:
    """A registration or a renaming; an older version arriving late changes nothing."""
    await db.execute(
        """INSERT INTO communities VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (community_id) DO UPDATE
           SET name = excluded.name, street = excluded.street, version = excluded.version,
               updated_at = excluded.updated_at
           WHERE communities.version < excluded.version""",
        community_id,
        name,
        street,
        version,
        at,
    )


async def get(db: asyncpg.Connection, community_id: str) -> dict[str, Any] | None:
    row = await db.fetchrow(
        "SELECT community_id, name, street, updated_at FROM communities WHERE community_id = $1",
        community_id,
    )
    return dict(row) if row else None


async def filtering_by(db: asyncpg.Connection, community_id: str | None) -> None:
    """A list filtered by a community the office does not have (or this service has not heard
    of) is a 404 naming it, not an empty list that reads as "nothing there"."""
    if community_id is not None and await get(db, community_id) is None:
        raise NotFound("community", community_id)


async def known(
    db: asyncpg.Connection, community_id: str, field: str = "community_id"
) -> dict[str, Any]:
    """The community, or 409 `community_unknown` unless the needs service registered it (and
    this service heard of it): a typo'd id would leave a volunteer, an activity, a fund or a
    project in no community at all."""
    found = await get(db, community_id)
    if found is None:
        raise RuleBroken(
            "community_unknown",
            f"{field}: no community {community_id!r} is known here (yet): the needs service "
            "registers communities, and this service learns of them from its events",
        )
    return found


async def names(db: asyncpg.Connection, community_ids: set[str]) -> dict[str, dict[str, str]]:
    """The public names of communities, by id: `{"name": …, "street": …}`."""
    rows = await db.fetch(
        "SELECT community_id, name, street FROM communities WHERE community_id = ANY($1::text[])",
        list(community_ids),
    )
    return {r["community_id"]: {"name": r["name"], "street": r["street"]} for r in rows}


async def streets(db: asyncpg.Connection) -> list[str]:
    """The streets (街道/乡镇) of the communities this service knows, in order."""
    rows = await db.fetch("SELECT DISTINCT street FROM communities ORDER BY street")
    return [r["street"] for r in rows]


async def public_page(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    street: str | None,
    limit: int,
    cursor: str | None,
    having: Condition | None = None,
) -> paging.Page[dict[str, Any]]:
    """A page of the communities a public list shows (`community_id`, `community_name`,
    `street`), by street and name: the one asked for by its id, else the street's or the
    office's that `having` keeps (a condition on `c.community_id`, e.g. that it has open
    needs). Works on the needs service's own table and on the replicas alike."""
    return await paging.fetch_page(
        db,
        """SELECT * FROM (SELECT community_id, name AS community_name, street
                          FROM communities) c""",
        [
            ("c.community_id = ?", one(community_id)),
            ("c.street = ?", one(street)),
            *([having] if having and community_id is None else []),
        ],
        {"c.street": str, "c.community_name": str, "c.community_id": str},
        limit,
        cursor,
    )


async def replicate(tx: Transaction, envelope: Envelope) -> None:
    try:
        event = envelope.event()
    except UnknownEventType:  # a community event of a later version: not ours to judge
        return
    if isinstance(event, CommunityRegistered | CommunityRenamed):
        await upsert(
            tx.raw,
            event.community_id,
            event.name,
            event.street,
            envelope.streamversion,
            envelope.time,
        )


def consumer(office: str, name: str, description: str) -> ConsumerSpec:
    """The durable consumer `name` that keeps the replica."""
    return ConsumerSpec(
        name=name,
        stream=stream_name(office),
        filter_subject=f"wushe.{office}.needs.community.>",
        handler=replicate,
        description=description,
    )


router = APIRouter(tags=["communities"])


@router.get(
    "/communities",
    summary="The communities this service knows, by id (as the needs service lists them)",
)
async def list_communities(
    db: Db,
    _who: AnyRole,
    street: str | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[dict[str, Any]]:
    return await paging.fetch_page(
        db,
        "SELECT community_id, name, street, updated_at FROM communities",
        [("street = ?", one(street))],
        {"community_id": str},
        limit,
        cursor,
    )


@router.get(
    "/communities/{community_id}",
    summary="A community as this service knows it (404 until the needs service's registration "
    "has reached it)",
)
async def get_community(community_id: str, db: Db, _who: AnyRole) -> dict[str, Any]:
    found = await get(db, community_id)
    if found is None:
        raise NotFound("community known here", community_id)
    return found

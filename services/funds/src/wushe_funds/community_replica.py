"""The funds service's replica of the needs service's communities: its table, written by the
consumer in `bus` (with its tracking row) and read by the commands and the public views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from wushe_events.errors import RuleBroken


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


async def known(db: asyncpg.Connection, community_id: str, field: str = "community_id") -> None:
    """409 `community_unknown` unless the needs service registered the community (and this
    service heard of it): a typo'd id would leave a fund or a project in no community at all."""
    if await get(db, community_id) is None:
        raise RuleBroken(
            "community_unknown",
            f"{field}: no community {community_id!r} is known here (yet): the needs service "
            "registers communities, and this service learns of them from its events",
        )


async def names(db: asyncpg.Connection, community_ids: set[str]) -> dict[str, dict[str, str]]:
    """The public names of communities, by id: `{"name": …, "street": …}`."""
    rows = await db.fetch(
        "SELECT community_id, name, street FROM communities WHERE community_id = ANY($1::text[])",
        list(community_ids),
    )
    return {r["community_id"]: {"name": r["name"], "street": r["street"]} for r in rows}

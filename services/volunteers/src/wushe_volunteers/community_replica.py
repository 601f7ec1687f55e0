"""The volunteers service's replica of the needs service's communities: its table, written
by the consumer in `bus` (with its tracking row) and read by the commands that name one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from wushe_volunteers.domain.community import Community


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


async def find(db: asyncpg.Connection, community_id: str) -> Community | None:
    row = await db.fetchrow(
        "SELECT community_id, name, street FROM communities WHERE community_id = $1",
        community_id,
    )
    return Community(row["community_id"], row["name"], row["street"]) if row else None


async def get(db: asyncpg.Connection, community_id: str) -> dict[str, Any] | None:
    row = await db.fetchrow(
        "SELECT community_id, name, street, updated_at FROM communities WHERE community_id = $1",
        community_id,
    )
    return dict(row) if row else None

"""The volunteers service's tables of applications (志愿者报名): the read table kept in step
with their events, and the pending ones' phone digests (one pending application per phone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.volunteers import (
    ApplicationAccepted,
    ApplicationDeclined,
    ApplicationExpired,
    ApplicationSubmitted,
)
from wushe_events.read_model import Apply
from wushe_service import paging
from wushe_service.sql import one

TABLES = ("applications",)


async def _submitted(db: asyncpg.Connection, e: ApplicationSubmitted, at: datetime) -> None:
    await db.execute(
        """INSERT INTO applications (application_id, community_id, skills, state, submitted_at)
           VALUES ($1, $2, $3, 'pending', $4)""",
        e.application_id,
        e.community_id,
        list(e.skills),
        at,
    )


async def _accepted(db: asyncpg.Connection, e: ApplicationAccepted, at: datetime) -> None:
    await db.execute(
        """UPDATE applications SET state = 'accepted', decided_at = $2, volunteer_id = $3
           WHERE application_id = $1""",
        e.application_id,
        at,
        e.volunteer_id,
    )


async def _declined(db: asyncpg.Connection, e: ApplicationDeclined, at: datetime) -> None:
    await db.execute(
        """UPDATE applications SET state = 'declined', decided_at = $2, reason = $3
           WHERE application_id = $1""",
        e.application_id,
        at,
        e.reason,
    )


async def _expired(db: asyncpg.Connection, e: ApplicationExpired, at: datetime) -> None:
    await db.execute(
        "UPDATE applications SET state = 'expired', decided_at = $2 WHERE application_id = $1",
        e.application_id,
        at,
    )


APPLY: dict[type, Apply] = {
    ApplicationSubmitted: _submitted,
    ApplicationAccepted: _accepted,
    ApplicationDeclined: _declined,
    ApplicationExpired: _expired,
}


async def hold_phone(db: asyncpg.Connection, application_id: UUID, digest: bytes) -> bool:
    """Note the pending application's phone digest; False when another pending application
    holds it already (the unique digest decides between two racing submissions)."""
    status = await db.execute(
        """INSERT INTO application_phones (application_id, digest) VALUES ($1, $2)
           ON CONFLICT (digest) DO NOTHING""",
        application_id,
        digest,
    )
    return status == "INSERT 0 1"


async def release_phone(db: asyncpg.Connection, application_id: UUID) -> None:
    await db.execute("DELETE FROM application_phones WHERE application_id = $1", application_id)


async def pending_since(db: asyncpg.Connection, before: datetime, limit: int) -> list[UUID]:
    """Pending applications submitted before `before`, the oldest first."""
    rows = await db.fetch(
        """SELECT application_id FROM applications WHERE state = 'pending' AND submitted_at < $1
           ORDER BY submitted_at LIMIT $2""",
        before,
        limit,
    )
    return [row["application_id"] for row in rows]


async def pending_count(db: asyncpg.Connection) -> int:
    return int(await db.fetchval("SELECT count(*) FROM applications WHERE state = 'pending'"))


async def listing(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """A page of applications, the longest waiting first."""
    filters = [("community_id = ?", one(community_id)), ("state = ?", one(state))]
    key = {"submitted_at": datetime, "application_id": UUID}
    return await paging.fetch_page(db, "SELECT * FROM applications", filters, key, limit, cursor)

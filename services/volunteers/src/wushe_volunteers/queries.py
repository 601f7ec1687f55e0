"""Reads of the volunteers service's read tables, for the API and the certificate."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_service import paging
from wushe_service.sql import Condition, one, where
from wushe_volunteers import store as tables
from wushe_volunteers.domain import certificate


async def listing(
    db: asyncpg.Connection,
    table: str,
    key: str,
    filters: list[Condition],
    limit: int,
    cursor: str | None,
    kind: type = UUID,
) -> paging.Page[dict[str, Any]]:
    sql, args = where(*filters, (f"{key} > ?", paging.decode(cursor, kind)))
    rows = await db.fetch(f"SELECT * FROM {table}{sql} ORDER BY {key} LIMIT {limit + 1}", *args)
    return paging.page([dict(r) for r in rows], limit, (key,))


async def activities(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    team_id: UUID | None,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    sql, args = where(
        ("community_id = ?", one(community_id)),
        ("team_id = ?", one(team_id)),
        ("state = ?", one(state)),
        ("(starts_at, activity_id) > (?, ?)", paging.decode(cursor, datetime, UUID)),
    )
    rows = await db.fetch(
        f"SELECT * FROM activities{sql} ORDER BY starts_at, activity_id LIMIT {limit + 1}", *args
    )
    return paging.page([dict(r) for r in rows], limit, ("starts_at", "activity_id"))


async def hours(
    db: asyncpg.Connection,
    *,
    volunteer_id: UUID | None,
    team_id: UUID | None,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    sql, args = where(
        ("volunteer_id = ?", one(volunteer_id)),
        ("team_id = ?", one(team_id)),
        ("state = ?", one(state)),
        ("(recorded_at, record_id) > (?, ?)", paging.decode(cursor, datetime, UUID)),
    )
    rows = await db.fetch(
        f"SELECT * FROM hours{sql} ORDER BY recorded_at, record_id LIMIT {limit + 1}", *args
    )
    return paging.page(
        [dict(r) | {"hours": float(r["hours"])} for r in rows], limit, ("recorded_at", "record_id")
    )


async def certified_hours(db: asyncpg.Connection, volunteer_id: UUID) -> list[dict[str, Any]]:
    """The volunteer's verified hours, by activity (wishes one line each), oldest first."""
    rows = await db.fetch(
        """SELECT h.source, h.source_id, coalesce(a.title, '微心愿') AS title,
                  coalesce(a.starts_at, min(h.recorded_at)) AS date,
                  coalesce(t.name, '—') AS organiser, sum(h.hours) AS hours
           FROM hours h
           LEFT JOIN activities a ON h.source = 'activity' AND a.activity_id = h.source_id
           LEFT JOIN teams t ON t.team_id = h.team_id
           WHERE h.volunteer_id = $1 AND h.state = 'verified'
           GROUP BY h.source, h.source_id, a.title, a.starts_at, t.name
           ORDER BY 4, 3""",
        volunteer_id,
    )
    return [dict(r) | {"hours": float(r["hours"])} for r in rows]


async def latest_certificate(db: asyncpg.Connection, volunteer_id: UUID) -> dict[str, Any] | None:
    row = await db.fetchrow(
        """SELECT * FROM certificates WHERE volunteer_id = $1
           ORDER BY issued_at DESC LIMIT 1""",
        volunteer_id,
    )
    return dict(row) if row else None


async def certificate_by_code(db: asyncpg.Connection, code: str) -> dict[str, Any] | None:
    row = await db.fetchrow("SELECT * FROM certificates WHERE code = $1", code)
    return dict(row) if row else None


async def still_valid(db: asyncpg.Connection, issued: dict[str, Any]) -> bool:
    """Whether the volunteer's verified hours are still those the certificate covers."""
    records = await tables.verified_records(db, issued["volunteer_id"])
    return certificate.digest(issued["volunteer_id"], records) == issued["digest"]


async def display_name(db: asyncpg.Connection, volunteer_id: UUID) -> str | None:
    """The name the volunteer consented to show publicly, if any."""
    name: str | None = await db.fetchval(
        "SELECT display_name FROM volunteers WHERE volunteer_id = $1", volunteer_id
    )
    return name

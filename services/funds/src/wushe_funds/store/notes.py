"""The free text of the fund's staff and reviewers that stays off the bus: refund notes,
reviewers' comments, rejection notes, notes on closing or cancelling a round."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg


async def keep_refund_note(
    db: asyncpg.Connection, refund_id: UUID, fund_id: UUID, note: str
) -> None:
    """A refund's note, in the refund's transaction: staff's free text stays in this database."""
    await db.execute("INSERT INTO refund_notes VALUES ($1, $2, $3)", refund_id, fund_id, note)


async def keep_comments(
    db: asyncpg.Connection, application_id: UUID, reviewer_id: str, comments: str, at: datetime
) -> None:
    """In the review's transaction: a reviewer reviews an application once (the aggregate)."""
    await db.execute(
        "INSERT INTO review_comments VALUES ($1, $2, $3, $4)",
        application_id,
        reviewer_id,
        comments,
        at,
    )


async def comments_of(db: asyncpg.Connection, application_id: UUID) -> dict[str, str]:
    rows = await db.fetch(
        "SELECT reviewer_id, comments FROM review_comments WHERE application_id = $1",
        application_id,
    )
    return {r["reviewer_id"]: r["comments"] for r in rows}


async def keep_rejection_note(
    db: asyncpg.Connection, application_id: UUID, note: str, at: datetime
) -> None:
    """In the rejection's transaction: an application is rejected once (the aggregate)."""
    await db.execute("INSERT INTO rejection_notes VALUES ($1, $2, $3)", application_id, note, at)


async def keep_round_note(
    db: asyncpg.Connection, round_id: UUID, kind: str, note: str, at: datetime
) -> None:
    """In the close's (or cancellation's) transaction: each happens once to a round."""
    await db.execute("INSERT INTO round_notes VALUES ($1, $2, $3, $4)", round_id, kind, note, at)


async def round_notes(db: asyncpg.Connection, round_id: UUID) -> dict[str, str]:
    """A round's notes by kind (closed, cancelled): for staff, never published."""
    rows = await db.fetch("SELECT kind, note FROM round_notes WHERE round_id = $1", round_id)
    return {row["kind"]: row["note"] for row in rows}


async def rejection_note(db: asyncpg.Connection, application_id: UUID) -> str | None:
    note: str | None = await db.fetchval(
        "SELECT note FROM rejection_notes WHERE application_id = $1", application_id
    )
    return note

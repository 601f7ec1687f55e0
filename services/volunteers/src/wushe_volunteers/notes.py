"""Coordinators' free-text notes (a decline's, a correction's, a cancellation's): in this
service's database only, since free text may name people and never goes on the bus; shown
to staff, and a decline's to the volunteer concerned."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from pydantic import Field

from wushe_events.catalogue.base import Text

Note = Annotated[
    Text,
    Field(
        min_length=1,
        max_length=2000,
        description="free text, e.g. 未到场，签到记录系他人代签: kept in this service only, "
        "shown to coordinators and admins (a decline's also to the volunteer)",
    ),
]


class NoteKind(StrEnum):
    declined = "declined"
    corrected = "corrected"
    cancelled = "cancelled"


async def add(
    db: asyncpg.Connection,
    subject_id: UUID,
    kind: NoteKind,
    note: str,
    volunteer_id: UUID | None = None,
) -> None:
    """In the command's transaction: the note stands or falls with what it explains."""
    await db.execute(
        "INSERT INTO notes (subject_id, kind, volunteer_id, note) VALUES ($1, $2, $3, $4)",
        subject_id,
        kind.value,
        volunteer_id,
        note,
    )


async def of(
    db: asyncpg.Connection, subject_id: UUID, kinds: frozenset[NoteKind]
) -> list[dict[str, Any]]:
    rows = await db.fetch(
        """SELECT kind, note, written_at FROM notes
           WHERE subject_id = $1 AND kind = ANY($2::text[]) ORDER BY note_id""",
        subject_id,
        [k.value for k in kinds],
    )
    return [dict(r) for r in rows]


async def forget_volunteer(db: asyncpg.Connection, volunteer_id: UUID) -> None:
    """An erased volunteer's notes go with their personal data: they may well name them."""
    await db.execute("DELETE FROM notes WHERE volunteer_id = $1", volunteer_id)

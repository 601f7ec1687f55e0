"""Coordinators' free-text notes (a decline's, a correction's, a cancellation's): in this
service's database only, since free text may name people and never goes on the bus; shown
to staff, and a decline's to the volunteer concerned.

A note about one volunteer's service (their hours declined or corrected, their attendance
entered from a paper sheet) is their personal data: it is sealed under their own data key
(`wushe_service.notes`), so that erasing them shreds it as it shreds their name — in backups
taken before too — and each showing is read-logged. Once they are erased no note about them
can be kept (409 `volunteer_erased`). A cancellation's note is about an activity, not a
person, and stays in the `notes` table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import structlog
from pydantic import Field

from wushe_events.catalogue.base import LongNote
from wushe_events.errors import RuleBroken
from wushe_service import notes as sealed
from wushe_service.personal_data import Vault

log = structlog.get_logger()

# The cap inside the type (LongNote's): beside it, it would fail as a list's `too_long`.
Note = Annotated[
    LongNote,
    Field(
        description="free text, e.g. 未到场，签到记录系他人代签: kept in this service only, "
        "shown to coordinators and admins (a decline's also to the volunteer)",
    ),
]


class NoteKind(StrEnum):
    declined = "declined"
    corrected = "corrected"
    cancelled = "cancelled"
    entered = "entered"  # an attendance entered after the fact (补录): from what, why


async def add(db: asyncpg.Connection, subject_id: UUID, kind: NoteKind, note: str) -> None:
    """A note about `subject_id` (an activity), in the command's transaction: it stands or
    falls with what it explains."""
    await db.execute(
        "INSERT INTO notes (subject_id, kind, note) VALUES ($1, $2, $3)",
        subject_id,
        kind.value,
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


def _about(subject_id: UUID, kind: NoteKind, n: int | str) -> str:
    return f"{subject_id}/{kind.value}/{n}"


async def add_about_volunteer(
    vault: Vault,
    db: asyncpg.Connection,
    volunteer_id: UUID,
    subject_id: UUID,
    kind: NoteKind,
    note: str,
    n: int,
) -> None:
    """A note about the volunteer's service on `subject_id` (an hours record, an activity),
    sealed under their data key in the command's transaction; `n` tells the notes of one
    subject and kind apart (the stream version the command wrote)."""
    if not await sealed.seal(vault, db, volunteer_id, {_about(subject_id, kind, n): note}):
        raise RuleBroken(
            "volunteer_erased",
            f"volunteer {volunteer_id}'s personal data was erased: no note about them can be "
            "kept; give the reason code alone",
        )


async def about_volunteer(
    vault: Vault,
    db: asyncpg.Connection,
    volunteer_id: UUID,
    subject_id: UUID,
    kinds: frozenset[NoteKind],
    *,
    to: UUID,
) -> list[dict[str, Any]]:
    """The notes about the volunteer on `subject_id` of `kinds`, oldest first, to be shown to
    token `to` (read-logged); none once the volunteer is erased."""
    rows = await db.fetch(
        """SELECT about, sealed_at FROM personal_data_notes
           WHERE subject_id = $1 AND about LIKE $2 ORDER BY sealed_at, about""",
        volunteer_id,
        f"{subject_id}/%",
    )
    wanted = [r for r in rows if r["about"].split("/")[1] in {k.value for k in kinds}]
    if not wanted:
        return []
    shown = await sealed.disclose(
        vault, db, volunteer_id, [r["about"] for r in wanted], to=to, purpose="notes"
    )
    return [
        {"kind": r["about"].split("/")[1], "note": shown[r["about"]], "written_at": r["sealed_at"]}
        for r in wanted
        if r["about"] in shown
    ]


async def seal_plain_notes(vault: Vault, db: asyncpg.Connection) -> int:
    """Notes about volunteers kept in clear before they were sealed, sealed now under each
    one's data key and taken out of the `notes` table, in one transaction (a second replica
    starting meanwhile waits, then finds none). A note about a volunteer erased since has no
    key to be sealed under: it is deleted, as their erasure would have. The number sealed."""
    async with db.transaction():
        rows = await db.fetch(
            """DELETE FROM notes WHERE volunteer_id IS NOT NULL
               RETURNING note_id, subject_id, kind, volunteer_id, note, written_at"""
        )
        moved = 0
        for row in rows:
            about = _about(row["subject_id"], NoteKind(row["kind"]), f"plain-{row['note_id']}")
            if await sealed.seal(vault, db, row["volunteer_id"], {about: row["note"]}):
                await db.execute(
                    """UPDATE personal_data_notes SET sealed_at = $3
                       WHERE subject_id = $1 AND about = $2""",
                    row["volunteer_id"],
                    about,
                    row["written_at"],
                )
                moved += 1
    if rows:
        log.info("volunteer_notes_sealed", sealed=moved, dropped=len(rows) - moved)
    return moved


async def forget_volunteer(db: asyncpg.Connection, volunteer_id: UUID) -> None:
    """On erasure, with their data key (which shreds their sealed notes): any note about them
    still in clear goes too."""
    await db.execute("DELETE FROM notes WHERE volunteer_id = $1", volunteer_id)

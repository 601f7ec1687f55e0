"""The applications by round and team, indexed by the hook as they are submitted: a
round's or a team's applications without a scan of the office's events."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import ApplicationSubmitted
from wushe_events.store import RecordedEvent


async def _index_application(db: asyncpg.Connection, recorded: RecordedEvent) -> None:
    # A submission again after a withdrawal continues the stream: its first place is kept.
    event = recorded.event()
    assert isinstance(event, ApplicationSubmitted)
    await db.execute(
        """INSERT INTO applications VALUES ($1, $2, $3, $4)
           ON CONFLICT (application_id) DO NOTHING""",
        event.application_id,
        event.round_id,
        event.team_id,
        recorded.global_position,
    )


async def applications_of(db: asyncpg.Connection, round_id: UUID) -> list[UUID]:
    """The ids of the applications ever submitted to a round, in the order first submitted
    (an index, `applications_by_round`: not a scan of the office's events)."""
    rows = await db.fetch(
        "SELECT application_id FROM applications WHERE round_id = $1 ORDER BY submitted_position",
        round_id,
    )
    return [r["application_id"] for r in rows]


# A page of a round's or a team's applications: first submitted after a position (the page's
# cursor), in that order. Two statements rather than one with `$1 IS NULL OR …`, which a
# prepared statement's generic plan could not answer from the index.
_AFTER = """SELECT application_id, submitted_position FROM applications
    WHERE {column} = $1 AND submitted_position > $2 ORDER BY submitted_position"""


async def round_applications_after(
    db: asyncpg.Connection, round_id: UUID, after: int
) -> list[asyncpg.Record]:
    return await db.fetch(_AFTER.format(column="round_id"), round_id, after)


async def team_applications_after(
    db: asyncpg.Connection, team_id: UUID, after: int
) -> list[asyncpg.Record]:
    return await db.fetch(_AFTER.format(column="team_id"), team_id, after)

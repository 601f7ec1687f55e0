"""The service's replica of the volunteers' teams and their members, from the bus."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def upsert_team(db: asyncpg.Connection, team_id: UUID, kind: str, name: str) -> None:
    await db.execute(
        """INSERT INTO teams VALUES ($1, $2, $3)
           ON CONFLICT (team_id) DO UPDATE SET kind = excluded.kind, name = excluded.name""",
        team_id,
        kind,
        name,
    )


async def add_member(
    db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID, role: str = "member"
) -> None:
    """A member added again with another role (made coordinator) takes that role."""
    await db.execute(
        """INSERT INTO team_members (team_id, volunteer_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (team_id, volunteer_id) DO UPDATE SET role = excluded.role""",
        team_id,
        volunteer_id,
        role,
    )


async def remove_member(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> None:
    await db.execute(
        "DELETE FROM team_members WHERE team_id = $1 AND volunteer_id = $2", team_id, volunteer_id
    )


async def team_name(db: asyncpg.Connection, team_id: UUID) -> str | None:
    name: str | None = await db.fetchval("SELECT name FROM teams WHERE team_id = $1", team_id)
    return name


async def teams(db: asyncpg.Connection, team_ids: set[UUID]) -> dict[UUID, dict[str, str]]:
    """The public name and kind of each of the teams named that this service has heard of."""
    rows = await db.fetch(
        "SELECT team_id, name, kind FROM teams WHERE team_id = ANY($1::uuid[])", list(team_ids)
    )
    return {r["team_id"]: {"name": r["name"], "kind": r["kind"]} for r in rows}


async def is_member(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> bool:
    return bool(
        await db.fetchval(
            "SELECT 1 FROM team_members WHERE team_id = $1 AND volunteer_id = $2",
            team_id,
            volunteer_id,
        )
    )


async def is_coordinator(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> bool:
    return bool(
        await db.fetchval(
            """SELECT 1 FROM team_members
               WHERE team_id = $1 AND volunteer_id = $2 AND role = 'coordinator'""",
            team_id,
            volunteer_id,
        )
    )

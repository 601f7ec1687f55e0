"""The teams this service knows (its replica of the volunteers' teams), by name: all of them,
or those a person coordinates — which a team coordinator's page opens with, to act for them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from wushe_service import paging
from wushe_service.sql import one

_COORDINATED_BY = """EXISTS (SELECT 1 FROM team_members m
    WHERE m.team_id = t.team_id AND m.volunteer_id = ? AND m.role = 'coordinator')"""


async def teams_list(
    db: asyncpg.Connection, *, coordinator_id: UUID | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """By name, then id (two teams may share a name)."""
    return await paging.fetch_page(
        db,
        "SELECT t.team_id, t.name, t.kind FROM teams t",
        [(_COORDINATED_BY, one(coordinator_id))],
        {"t.name": str, "t.team_id": UUID},
        limit,
        cursor,
    )

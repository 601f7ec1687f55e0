"""The category of each need this service has heard of from the needs service."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def keep_need_category(db: asyncpg.Connection, need_id: UUID, category: str) -> None:
    await db.execute(
        "INSERT INTO need_categories VALUES ($1, $2) ON CONFLICT (need_id) DO NOTHING",
        need_id,
        category,
    )


async def need_categories(db: asyncpg.Connection, need_ids: set[UUID]) -> dict[UUID, str]:
    """The category of each of the needs named that this service has heard of."""
    rows = await db.fetch(
        "SELECT need_id, category FROM need_categories WHERE need_id = ANY($1::uuid[])",
        list(need_ids),
    )
    return {r["need_id"]: r["category"] for r in rows}

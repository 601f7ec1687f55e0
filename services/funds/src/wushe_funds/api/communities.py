"""The communities this service knows, from the needs service's events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wushe_events.errors import NotFound
from wushe_funds import community_replica
from wushe_service.api import AnyRole, Db

router = APIRouter(tags=["communities"])


@router.get(
    "/communities/{community_id}",
    summary="A community as this service knows it (404 until the needs service's registration "
    "has reached it)",
)
async def get_community(community_id: str, db: Db, _who: AnyRole) -> dict[str, Any]:
    found = await community_replica.get(db, community_id)
    if found is None:
        raise NotFound("community known here", community_id)
    return found

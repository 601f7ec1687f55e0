"""The communities this service knows of (a replica of the needs service's): those a volunteer,
a pairing, a site or an activity may name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wushe_events.errors import NotFound
from wushe_service.api import AnyRole, Db
from wushe_volunteers import community_replica

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

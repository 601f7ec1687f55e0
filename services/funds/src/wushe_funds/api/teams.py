"""The teams this service knows (its replica of the volunteers' teams): the ones a team
coordinator acts for when applying for a micro-venture grant (微创投)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from wushe_funds import teams_list
from wushe_service import paging
from wushe_service.api import AnyRole, Db, Role, acting_as
from wushe_service.auth import PERSONAL_ROLES

router = APIRouter(tags=["grants"])

# Whom a person coordinates is about that person: a coordinator's token (as a volunteer's or a
# reviewer's) asks about its own person only.
_OWN_TEAMS_ONLY = PERSONAL_ROLES | {Role.coordinator}
_OWN_TEAMS_RULE = (
    "only the person themself or the office's staff (a fund manager, an admin…) may ask which "
    "teams a person coordinates"
)


@router.get(
    "/teams",
    summary="The teams known here, by name: those a person coordinates, or all of them",
    description="A coordinator's token lists the teams its own person coordinates (another "
    "coordinator_id is refused); staff list anyone's, or every team without coordinator_id.",
)
async def list_teams(
    db: Db,
    who: AnyRole,
    coordinator_id: Annotated[
        UUID | None, Query(description="a volunteer id: the teams they coordinate")
    ] = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[dict[str, Any]]:
    person = acting_as(who, coordinator_id, "coordinator_id", _OWN_TEAMS_ONLY, rule=_OWN_TEAMS_RULE)
    return await teams_list.teams_list(db, coordinator_id=person, limit=limit, cursor=cursor)

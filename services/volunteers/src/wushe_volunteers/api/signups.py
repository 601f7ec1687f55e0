"""Who signed up: an activity's roster for its organisers, a volunteer's own sign-ups."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request

from wushe_events.errors import RuleBroken
from wushe_service.api import Db, Principal, Role, Store, VaultDep, acting_as, require
from wushe_service.forbidden import Forbidden
from wushe_service.paging import Cursor, Limit, Page
from wushe_volunteers import queries
from wushe_volunteers.api import presentation
from wushe_volunteers.api.caller import caller
from wushe_volunteers.api.volunteers import MAY_READ_PERSONAL_DATA
from wushe_volunteers.commands import activities as commands

router = APIRouter(tags=["activities"])
Coordinator = Annotated[Principal, require(Role.coordinator)]
Participant = Annotated[Principal, require(Role.volunteer, Role.coordinator)]
SignupState = Literal["active", "withdrawn", "attended", "cancelled"]
# Shown in office time too (`<field>_local`), for those who read the lists.
_TIMES = ("starts_at", "ends_at", "signed_up_at", "checked_in_at", "checked_out_at")


@router.get(
    "/activities/{activity_id}/signups",
    summary="Who signed up, in the order they did, with attendance once recorded (the "
    "organising team's coordinators and admins; names read-logged)",
)
async def roster(
    activity_id: UUID, request: Request, store: Store, vault: VaultDep, who: Coordinator
) -> list[dict[str, Any]]:
    shown_to = who.token_id if who.role in MAY_READ_PERSONAL_DATA else None
    try:
        rows = await commands.roster(store, vault, activity_id, caller(who), shown_to=shown_to)
    except RuleBroken as refused:  # a read: not theirs to see, rather than a rule broken
        raise Forbidden(refused.rule, str(refused), **refused.details) from None
    zone = presentation.settings(request).zone()
    return [presentation.with_local(r, zone, *_TIMES) for r in rows]


@router.get(
    "/volunteers/{volunteer_id}/signups",
    summary="A volunteer's sign-ups, soonest first (the volunteer themself, coordinators, admins)",
)
async def volunteer_signups(
    volunteer_id: UUID,
    request: Request,
    db: Db,
    who: Participant,
    state: SignupState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    acting_as(
        who,
        volunteer_id,
        "volunteer_id",
        rule="only the volunteer themself, a coordinator or an admin may read a volunteer's "
        "sign-ups",
    )
    page = await queries.volunteer_signups(
        db, volunteer_id, state=state, limit=limit, cursor=cursor
    )
    zone = presentation.settings(request).zone()
    return Page(
        items=[presentation.with_local(r, zone, *_TIMES) for r in page.items],
        next_cursor=page.next_cursor,
    )

"""Activities: schedule, sign-ups, attendance, cancellation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_events.errors import InvalidReference
from wushe_service import public_pages
from wushe_service.api import (
    AnyRole,
    Db,
    PageFormat,
    Principal,
    Role,
    Store,
    VaultDep,
    acting_as,
    require,
    wants_html,
)
from wushe_service.idempotency import keep_answer
from wushe_service.paging import Cursor, Limit, Page
from wushe_volunteers import notes, pages, queries
from wushe_volunteers.api import presentation
from wushe_volunteers.api.caller import caller
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.activity import ActivityState

router = APIRouter(tags=["activities"])
# Only a coordinator of the activity's team (or an admin) runs it (谁组织谁记录).
Coordinator = Annotated[Principal, require(Role.coordinator)]
Participant = Annotated[Principal, require(Role.volunteer, Role.coordinator)]


_STAFF = frozenset({Role.coordinator, Role.admin})
# What a volunteer's token is told when it names another volunteer.
SIGN_UP_RULE = "only the volunteer themself, a coordinator or an admin may sign a volunteer up"
WITHDRAW_RULE = (
    "only the volunteer themself, a coordinator or an admin may withdraw a volunteer's sign-up"
)
_CANCELLED = frozenset({notes.NoteKind.cancelled})


async def _view(
    store: Any, request: Request, activity_id: UUID, who: Principal | None = None
) -> dict[str, Any]:
    """The activity; with why it was cancelled, in words, for coordinators and admins."""
    async with store.connection() as db:
        found = await queries.activity(db, activity_id)
        if who is not None and who.role in _STAFF:
            found["notes"] = await notes.of(db, activity_id, _CANCELLED)
    return presentation.activity(found, presentation.settings(request).zone())


def _need_category(value: str | None) -> str | None:
    """A filter's need category, by slug or label (理发)."""
    try:
        return None if value is None else NEED_CATEGORIES.slug_or_own(value)
    except ValueError as error:
        raise InvalidReference("need_category", str(error)) from None


@router.post("/activities", status_code=201, summary="Schedule an activity")
async def schedule(
    body: commands.ScheduleActivity, store: Store, vault: VaultDep, who: Coordinator
) -> dict:
    scheduled = await commands.schedule(store, vault, body, datetime.now(UTC), caller=caller(who))
    return {"activity_id": scheduled}


@router.get("/activities", summary="Activities, soonest first, by community, team and state")
async def list_activities(
    request: Request,
    db: Db,
    _who: AnyRole,
    community_id: str | None = None,
    team_id: UUID | None = None,
    state: ActivityState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    page = await queries.activities(
        db, community_id=community_id, team_id=team_id, state=state, limit=limit, cursor=cursor
    )
    zone = presentation.settings(request).zone()
    return Page(
        items=[presentation.activity(a, zone) for a in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/public/activities",
    tags=["public"],
    summary="Activities to come, with places left (no login): what, where, when, which team;"
    " as a page (活动公告) with ?format=html or Accept: text/html",
)
async def public_activities(
    request: Request,
    db: Db,
    community_id: str | None = None,
    need_category: Annotated[
        str | None, Query(description="a need category's slug or label: haircut, 理发")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    category = _need_category(need_category)
    page = await queries.open_activities(
        db,
        community_id=community_id,
        need_category=category,
        after=datetime.now(UTC),
        limit=limit,
        cursor=cursor,
    )
    settings = presentation.settings(request)
    zone = settings.zone()
    if wants_html(request, format):
        filters = {"community_id": community_id, "need_category": category, "limit": limit}
        return public_pages.response(
            pages.activity_board_page(
                page,
                filters,
                zone,
                settings.display_name(),
                settings.public_contact,
                settings.public_urls,
            )
        )
    return Page(
        items=[presentation.activity(a, zone) for a in page.items], next_cursor=page.next_cursor
    )


@router.get("/activities/{activity_id}", summary="An activity and its places taken")
async def get_activity(
    activity_id: UUID, request: Request, store: Store, who: AnyRole
) -> dict[str, Any]:
    return await _view(store, request, activity_id, who)


@router.post("/activities/{activity_id}/signups", summary="Sign a volunteer up for a place")
async def sign_up(
    activity_id: UUID, body: commands.SignUp, request: Request, store: Store, who: Participant
) -> dict[str, Any]:
    acting_as(who, body.volunteer_id, "volunteer_id", rule=SIGN_UP_RULE)
    limit = presentation.settings(request).no_show_limit
    await commands.sign_up(store, activity_id, body, datetime.now(UTC), no_show_limit=limit)
    keep_answer(request.scope)  # a retry after a lost answer: this one, not already_signed_up
    return await _view(store, request, activity_id)


@router.delete(
    "/activities/{activity_id}/signups/{volunteer_id}",
    summary="Withdraw a sign-up before the activity starts",
)
async def withdraw_signup(
    activity_id: UUID, volunteer_id: UUID, request: Request, store: Store, who: Participant
) -> dict[str, Any]:
    acting_as(who, volunteer_id, "volunteer_id", rule=WITHDRAW_RULE)
    await commands.withdraw_signup(store, activity_id, volunteer_id, datetime.now(UTC))
    keep_answer(request.scope)  # a retry after a lost answer: this one, not not_signed_up
    return await _view(store, request, activity_id)


@router.post("/activities/{activity_id}/cancel", summary="Cancel an activity")
async def cancel(
    activity_id: UUID,
    body: commands.CancelActivity,
    request: Request,
    store: Store,
    who: Coordinator,
) -> dict[str, Any]:
    await commands.cancel(store, activity_id, body, datetime.now(UTC), caller=caller(who))
    return await _view(store, request, activity_id, who)


@router.post(
    "/activities/{activity_id}/attendance",
    status_code=201,
    summary="Record check-in and check-out; the hours are recorded, pending",
)
async def record_attendance(
    activity_id: UUID, body: commands.RecordAttendance, store: Store, who: Coordinator
) -> dict:
    record_id = await commands.record_attendance(
        store, activity_id, body, datetime.now(UTC), caller=caller(who)
    )
    return {"record_id": record_id}


@router.post(
    "/activities/{activity_id}/attendance/backfill",
    status_code=201,
    summary="Enter attendance after the fact (补录), e.g. from a paper sign-in sheet: times "
    "within the activity's, for a volunteer signed up or a walk-in; the hours are recorded, "
    "pending",
)
async def enter_attendance(
    activity_id: UUID,
    body: commands.EnterAttendance,
    store: Store,
    vault: VaultDep,
    who: Coordinator,
) -> dict[str, Any]:
    record_id, walk_in, over_capacity = await commands.enter_attendance(
        store, vault, activity_id, body, datetime.now(UTC), caller=caller(who)
    )
    return {"record_id": record_id, "walk_in": walk_in, "over_capacity": over_capacity}

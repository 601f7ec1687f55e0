"""Micro-wishes (微心愿), and the public wish board that needs no login."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query, Request

from wushe_events.catalogue.needs import ClaimantKind
from wushe_events.errors import InvalidReference, NotFound
from wushe_events.store import EventStore
from wushe_needs import pages, queries
from wushe_needs.api import streets
from wushe_needs.api.disclosure import With, disclosed, with_resident_names
from wushe_needs.api.roles import SocialWorker, as_seen_by
from wushe_needs.commands import wishes as commands
from wushe_needs.domain.wish import WishState
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
from wushe_service.auth import PERSONAL_ROLES
from wushe_service.forbidden import Forbidden
from wushe_service.paging import Cursor, Limit, Page

router = APIRouter(tags=["wishes"])
Staff = Annotated[Principal, require(Role.social_worker, Role.coordinator)]
Claimer = Annotated[Principal, require(Role.volunteer, Role.coordinator, Role.social_worker)]


ActionT = TypeVar("ActionT", bound=commands.ClaimantAction)

# What a volunteer's token is told when it names another claimant: who may, in words.
_BY_CLAIMANT = "only the claimant themself, a coordinator, a social worker or an admin may"
_CLAIM_RULE = (
    "only the volunteer themself, a coordinator, a social worker or an admin may claim a wish "
    "for a volunteer"
)
_RELEASE_RULE = f"{_BY_CLAIMANT} give a claimed wish back"
_PROGRESS_RULE = f"{_BY_CLAIMANT} report progress on a claimed wish"
_FULFIL_RULE = f"{_BY_CLAIMANT} report a claimed wish fulfilled"


async def _refuse_unless_serving(store: EventStore, who: Principal, wish_id: UUID) -> None:
    """A token of a street acts on the wishes of its street's communities only (403)."""
    if who.street is not None:
        async with store.connection() as db:
            await streets.refuse_unless_serving_wish(db, who, wish_id)


def _as_claimant(who: Principal, body: ActionT, rule: str) -> ActionT:
    """Staff may act on a claim without naming the claimant; a volunteer acts as themself."""
    claimant_id = acting_as(who, body.claimant_id, "claimant_id", rule=rule)
    return body.model_copy(update={"claimant_id": claimant_id})


States = Annotated[
    list[WishState] | None,
    Query(
        description="posted, claimed, fulfilled, confirmed, cancelled, expired "
        "(default: posted and claimed)"
    ),
]


class BoardState(StrEnum):
    """The states a wish is shown in on the public board: a cancelled or expired wish is not
    (its title was a resident's wish; it leaves the board with the wish)."""

    posted = "posted"
    claimed = "claimed"
    fulfilled = "fulfilled"
    confirmed = "confirmed"


BoardStates = Annotated[
    list[BoardState] | None,
    Query(description="posted, claimed, fulfilled, confirmed (default: posted and claimed)"),
]


async def _view(store: EventStore, wish_id: UUID, who: Principal) -> dict[str, Any]:
    # A connection of its own, after the command's: a request never holds two at once.
    async with store.connection() as db:
        found = await queries.wish(db, wish_id)
    if found is None:
        raise NotFound("wish", wish_id)
    return as_seen_by(who, found)


@router.post(
    "/wishes",
    status_code=201,
    summary="Post a micro-wish, from a need or directly; a token of a street: in its "
    "communities, for its residents only (else 403)",
)
async def post_wish(
    body: commands.PostWish, store: Store, vault: VaultDep, request: Request, who: SocialWorker
) -> dict[str, UUID]:
    async with store.connection() as db:
        if body.community_id is not None:
            await streets.refuse_unless_serving_community(db, who, body.community_id)
        if body.need_id is not None:
            await streets.refuse_unless_serving_need(db, who, body.need_id)
        if body.resident_id is not None:
            await streets.refuse_unless_serving_resident(db, who, body.resident_id)
    cap = request.app.state.runtime.settings.wish_value_cap_fen
    return {"wish_id": await commands.post_wish(store, vault, body, datetime.now(UTC), cap)}


@router.get(
    "/wishes",
    summary="Micro-wishes, oldest first, by community, state and claimant; with=personal_data: "
    "with the residents' names",
)
async def list_wishes(
    db: Db,
    vault: VaultDep,
    who: AnyRole,
    community_id: str | None = None,
    state: States = None,
    claimant_id: Annotated[
        UUID | None, Query(description="the volunteer or team that claims (or claimed) them")
    ] = None,
    with_: With = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    await queries.filtering_by_community(db, community_id)
    found = await queries.wishes(
        db,
        community_id=community_id,
        states=[s.value for s in state] if state else None,
        limit=limit,
        cursor=cursor,
        claimant_id=claimant_id,
    )
    ids = [w["resident_id"] for w in found.items]
    shown = await disclosed(db, vault, who, with_, ids, purpose="wish list")
    items = with_resident_names(found.items, shown)
    return found.model_copy(update={"items": [as_seen_by(who, w) for w in items]})


@router.get("/wishes/{wish_id}", summary="A micro-wish")
async def get_wish(wish_id: UUID, store: Store, who: AnyRole) -> dict[str, Any]:
    return await _view(store, wish_id, who)


# The commands below take an empty body, or none, as `{}`: every field they have is optional
# (a volunteer's token names its claimant; staff name one, or act on the claim as it is).


@router.post(
    "/wishes/{wish_id}/claim",
    summary="Claim a wish for a volunteer or a team; a token of a street: in its "
    "communities only (else 403)",
)
async def claim_wish(
    wish_id: UUID, store: Store, who: Claimer, body: commands.ClaimWish | None = None
) -> dict[str, Any]:
    body = body or commands.ClaimWish()
    if body.claimant_kind is ClaimantKind.team:
        if who.role in PERSONAL_ROLES:
            raise Forbidden(
                "not_your_person",
                "claimant_kind: a volunteer token claims for its own person, not a team",
                field="claimant_kind",
            )
    claimant_id = acting_as(who, body.claimant_id, "claimant_id", rule=_CLAIM_RULE)
    if claimant_id is None:
        raise InvalidReference("claimant_id", "required: the volunteer or team claiming")
    await _refuse_unless_serving(store, who, wish_id)
    await commands.claim_wish(store, wish_id, claimant_id, body.claimant_kind, datetime.now(UTC))
    return await _view(store, wish_id, who)


@router.post(
    "/wishes/{wish_id}/release",
    summary="Give a claimed wish back to the board; a token of a street: in its communities only",
)
async def release_wish(
    wish_id: UUID, store: Store, who: Claimer, body: commands.ClaimantAction | None = None
) -> dict[str, Any]:
    body = _as_claimant(who, body or commands.ClaimantAction(), _RELEASE_RULE)
    await _refuse_unless_serving(store, who, wish_id)
    await commands.release_wish(store, wish_id, body, datetime.now(UTC))
    return await _view(store, wish_id, who)


@router.post(
    "/wishes/{wish_id}/progress",
    summary="Report progress: the claim is alive; a token of a street: in its communities only",
)
async def report_progress(
    wish_id: UUID, store: Store, who: Claimer, body: commands.ReportProgress | None = None
) -> dict[str, Any]:
    body = _as_claimant(who, body or commands.ReportProgress(), _PROGRESS_RULE)
    await _refuse_unless_serving(store, who, wish_id)
    await commands.report_progress(store, wish_id, body.claimant_id, datetime.now(UTC))
    return await _view(store, wish_id, who)


@router.post(
    "/wishes/{wish_id}/fulfil",
    summary="The claimant did it; a token of a street: in its communities only",
)
async def fulfil_wish(
    wish_id: UUID, store: Store, who: Claimer, body: commands.FulfilWish | None = None
) -> dict[str, Any]:
    body = _as_claimant(who, body or commands.FulfilWish(), _FULFIL_RULE)
    await _refuse_unless_serving(store, who, wish_id)
    await commands.fulfil_wish(store, wish_id, body, datetime.now(UTC))
    return await _view(store, wish_id, who)


@router.post(
    "/wishes/{wish_id}/confirm",
    summary="A social worker confirms it was fulfilled; a token of a street: in its "
    "communities only (else 403)",
)
async def confirm_wish(wish_id: UUID, store: Store, who: SocialWorker) -> dict[str, Any]:
    await _refuse_unless_serving(store, who, wish_id)
    await commands.confirm_wish(store, wish_id, datetime.now(UTC), who.person)
    return await _view(store, wish_id, who)


@router.post(
    "/wishes/{wish_id}/cancel",
    summary="Take a wish off the board; a token of a street: in its communities only (else 403)",
)
async def cancel_wish(
    wish_id: UUID, store: Store, who: Staff, body: commands.CancelWish | None = None
) -> dict[str, Any]:
    await _refuse_unless_serving(store, who, wish_id)
    await commands.cancel_wish(store, wish_id, body or commands.CancelWish(), datetime.now(UTC))
    return await _view(store, wish_id, who)


@router.get(
    "/public/wishes",
    tags=["public"],
    summary="The open wish board (no login): never who a wish is for",
)
async def public_wishes(
    request: Request,
    db: Db,
    community_id: str | None = None,
    state: BoardStates = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    await queries.filtering_by_community(db, community_id)
    states = [s.value for s in state] if state else None
    page = await queries.wishes(
        db, community_id=community_id, states=states, limit=limit, cursor=cursor, public=True
    )
    if not wants_html(request, format):
        return page
    filters = {"community_id": community_id, "state": states or [], "limit": limit}
    settings = request.app.state.runtime.settings
    place = await queries.community(db, community_id) if community_id else None
    return public_pages.response(
        pages.wish_board_page(
            page,
            filters,
            settings.zone(),
            settings.display_name(),
            place,
            settings.public_contact,
            settings.public_urls,
        )
    )

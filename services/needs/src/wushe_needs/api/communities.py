"""Communities (社区/村) and their needs list (需求清单)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from wushe_events.catalogue.needs import Urgency
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_events.errors import InvalidReference, NotFound
from wushe_needs import pages, public_needs, queries
from wushe_needs.api.disclosure import With, disclosed, notes_shown, with_resident_names
from wushe_needs.api.roles import SocialWorker, as_seen_by
from wushe_needs.api.streets import (
    refuse_unless_serving_community,
    refuse_unless_serving_need,
    refuse_unless_serving_street,
)
from wushe_needs.commands import residents as commands
from wushe_needs.commands import surveys as need_commands
from wushe_needs.commands.notes import of_need, of_resolution
from wushe_needs.domain.need import NeedState
from wushe_service import error_pages, public_pages
from wushe_service.api import (
    AnyRole,
    Db,
    PageFormat,
    Store,
    VaultDep,
    wants_html,
)
from wushe_service.paging import Cursor, Limit, Page

router = APIRouter(tags=["communities"])


class NeedsOrder(StrEnum):
    oldest = "oldest"  # the order found in: who has waited longest
    urgency = "urgency"  # critical first, then high, normal, low; each oldest first


class CommunityCreated(BaseModel):
    community_id: str


@router.post(
    "/communities",
    status_code=201,
    summary="Register a community (社区/村); a token of a street: on its street only",
)
async def register_community(
    body: commands.RegisterCommunity, store: Store, who: SocialWorker
) -> CommunityCreated:
    refuse_unless_serving_street(who, body.street)
    return CommunityCreated(community_id=await commands.register_community(store, body))


@router.get("/communities", summary="The office's communities, by id")
async def list_communities(
    db: Db, _who: AnyRole, street: str | None = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[dict[str, Any]]:
    return await queries.communities(db, street=street, limit=limit, cursor=cursor)


@router.post(
    "/communities/{community_id}/rename",
    status_code=204,
    summary="Rename a community (or move it to another street); a token of a street: one of "
    "its communities, kept on its street",
)
async def rename_community(
    community_id: str, body: commands.RenameCommunity, store: Store, who: SocialWorker
) -> None:
    async with store.connection() as db:
        await refuse_unless_serving_community(db, who, community_id)
    refuse_unless_serving_street(who, body.street)
    await commands.rename_community(store, community_id, body)


@router.get(
    "/communities/{community_id}/needs",
    summary="The community needs list (需求清单): open needs, oldest first (order=urgency: the "
    "most urgent first), with counts; "
    "with=personal_data: with the residents' names",
)
async def needs_list(
    community_id: str,
    db: Db,
    vault: VaultDep,
    who: AnyRole,
    state: Annotated[
        list[NeedState] | None, Query(description="open, matched, resolved, closed")
    ] = None,
    category: Annotated[
        str | None, Query(description="a need category's slug or label: meal-delivery, 送餐")
    ] = None,
    urgency: Urgency | None = None,
    order: Annotated[
        NeedsOrder,
        Query(
            description="oldest (first found first) or urgency (the most urgent first, then "
            "the oldest)"
        ),
    ] = NeedsOrder.oldest,
    with_: With = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    if not await queries.community_exists(db, community_id):
        raise NotFound("community", community_id)
    listed = await queries.needs_list(
        db,
        community_id,
        states=[s.value for s in state] if state else None,
        category=_category(category),
        urgency=urgency.value if urgency else None,
        limit=limit,
        cursor=cursor,
        most_urgent_first=order is NeedsOrder.urgency,
    )
    ids = [n["resident_id"] for n in listed["items"]]
    shown = await disclosed(db, vault, who, with_, ids, purpose="needs list")
    items = with_resident_names(listed["items"], shown)
    return {**listed, "items": [as_seen_by(who, n) for n in items]}


@router.get(
    "/public/needs.csv",
    tags=["public"],
    summary="The public needs list as a spreadsheet (需求清单.csv, no login): every community "
    "the filters select, a row per category, then its totals, then all of theirs",
    description="Headed in Chinese as the page is; each count as the page words it — rounded "
    "to a multiple of `WUSHE_PUBLIC_MIN_COUNT` and written 约6, one from 1 to N-1 written "
    "少于N, zero 0 — so that no cell is taken for an exact count. UTF-8 with a BOM. Its errors, "
    "to a browser, are a page in Chinese.",
    openapi_extra=error_pages.FOR_PEOPLE,
)
async def public_needs_csv(
    request: Request, db: Db, community_id: str | None = None, street: str | None = None
) -> Response:
    await queries.filtering_by_community(db, community_id)
    settings = request.app.state.runtime.settings
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        listed = await public_needs.needs_list(
            db,
            community_id=community_id,
            street=street,
            zone=settings.zone(),
            limit=200,
            cursor=cursor,
            least=settings.public_min_count,
        )
        items += listed["items"]
        cursor = listed["next_cursor"]
        if cursor is None:
            break
    disposition = f"attachment; filename*=UTF-8''{quote('需求清单.csv')}"
    return Response(
        pages.needs_list_csv(items, listed["totals"]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


@router.get(
    "/public/needs",
    tags=["public"],
    summary="The public needs list (需求清单公示, no login): each community's open needs, "
    "counted by category, urgency and what answers them; nobody's needs one by one",
    description="Every count is rounded to the nearest multiple of N "
    "(`WUSHE_PUBLIC_MIN_COUNT`, default 3), as the reporting figures read without a token are "
    "(one rule, `wushe_service.small_cells`), and one from 1 to N-1 is `null`, so that neither a "
    "sum nor one table less another gives a withheld count back: every table — each category, "
    "each community's totals and the `totals` over the communities selected — says so with "
    '`"below": N` (a `null` count is 1 to N-1; the page shows 少于N) and `"rounded_to": N` (the '
    "page shows 约6). `oldest_open_since` is `null` where `open` is withheld. Zero is always 0; "
    "with N 0 or 1 every count is exact and no table says `below`.",
)
async def public_needs_list(
    request: Request,
    db: Db,
    community_id: str | None = None,
    street: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    await queries.filtering_by_community(db, community_id)
    settings = request.app.state.runtime.settings
    listed = await public_needs.needs_list(
        db,
        community_id=community_id,
        street=street,
        zone=settings.zone(),
        limit=limit,
        cursor=cursor,
        least=settings.public_min_count,
    )
    if not wants_html(request, format):
        return listed
    filters = {"community_id": community_id, "street": street, "limit": limit}
    return public_pages.response(
        pages.needs_list_page(
            listed, filters, settings.display_name(), settings.public_contact, settings.public_urls
        )
    )


def _category(value: str | None) -> str | None:
    """A filter's need category, by slug or label (送餐)."""
    try:
        return None if value is None else NEED_CATEGORIES.slug_or_own(value)
    except ValueError as error:
        raise InvalidReference("category", str(error)) from None


@router.get(
    "/needs/{need_id}",
    tags=["needs"],
    summary="One entry of a needs list; its notes for social workers and admins (read-logged)",
)
async def get_need(need_id: UUID, db: Db, vault: VaultDep, who: AnyRole) -> dict[str, Any]:
    found = await _need(db, need_id)
    about = [of_need(need_id), of_resolution(need_id)]
    shown = await notes_shown(db, vault, who, found["resident_id"], about, purpose="need notes")
    if shown is None:
        return as_seen_by(who, found)
    return {**found, "notes": shown.get(about[0]), "resolution_notes": shown.get(about[1])}


async def _need(db: Db, need_id: UUID) -> dict[str, Any]:
    found = await queries.need(db, need_id)
    if found is None:
        raise NotFound("need", need_id)
    return found


@router.post(
    "/needs/{need_id}/reprioritise",
    tags=["needs"],
    summary="Raise an open need's urgency (it never goes down: 409 urgency_only_rises); a "
    "token of a street: of its residents only (else 403)",
)
async def reprioritise_need(
    need_id: UUID, body: need_commands.ReprioritiseNeed, store: Store, who: SocialWorker
) -> dict[str, Any]:
    async with store.connection() as db:
        await refuse_unless_serving_need(db, who, need_id)
    await need_commands.reprioritise_need(store, need_id, body)
    async with store.connection() as db:
        return as_seen_by(who, await _need(db, need_id))


@router.post(
    "/needs/{need_id}/resolve",
    tags=["needs"],
    summary="Resolve a need, or close it, with a reason (and notes, sealed); a token of a "
    "street: of its residents only (else 403)",
)
async def resolve_need(
    need_id: UUID, body: need_commands.ResolveNeed, store: Store, vault: VaultDep, who: SocialWorker
) -> dict[str, Any]:
    async with store.connection() as db:
        await refuse_unless_serving_need(db, who, need_id)
    await need_commands.resolve_need(store, vault, need_id, body)
    async with store.connection() as db:  # the need, not the notes just written: no read
        return as_seen_by(who, await _need(db, need_id))

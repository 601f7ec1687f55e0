"""What the public reads without login: a fund's ledger, its verification, disclosures."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Annotated, Any, Literal
from uuid import UUID

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from wushe_funds import projects_list, queries
from wushe_funds.pages.funds_list import funds_page
from wushe_funds.pages.ledger import ledger_page, verification_page
from wushe_funds.pages.ledger_entry import entry_page
from wushe_funds.pages.project_disclosure import disclosure_page
from wushe_funds.pages.projects_list import projects_list_page
from wushe_funds.pages.round_disclosure import round_disclosure_page
from wushe_service import communities, error_pages, field_rules, paging, public_pages
from wushe_service.api import Db, PageFormat, wants_html

router = APIRouter(tags=["public"])


def _period(
    from_: Annotated[
        date | None,
        Query(
            alias="from",
            description="the period's first day, at the office's clock (WUSHE_TIMEZONE): the "
            "entries from it on, with the balance before them (a month's, to reconcile with the "
            "bank's statement)",
        ),
    ] = None,
    to: Annotated[
        date | None,
        Query(description="the period's last day, included, at the office's clock"),
    ] = None,
) -> tuple[date | None, date | None]:
    if from_ and to and to < from_:
        field_rules.refuse(
            "to", f"must be on or after from: {to} is before {from_} (swap them)", "period_reversed"
        )
    return from_, to


# A ledger's period, `?from=&to=` (office days, both included): its whole history without.
Period = Annotated[tuple[date | None, date | None], Depends(_period)]


@router.get(
    "/public/funds",
    summary="The office's funds, their ledgers and grant rounds (no login; as a page, 基金公示, "
    "with ?format=html or Accept: text/html)",
)
async def funds(
    request: Request,
    db: Db,
    community: str | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
    format: PageFormat = None,
) -> Any:
    await communities.filtering_by(db, community)
    listed = await queries.funds.funds_list(db, community_id=community, limit=limit, cursor=cursor)
    if not wants_html(request, format):
        return listed
    filters = {"community": community, "limit": limit}
    settings = request.app.state.runtime.settings
    place = await communities.get(db, community) if community else None
    return public_pages.response(
        funds_page(
            listed,
            filters,
            settings.display_name(),
            place,
            settings.public_contact,
            settings.public_urls,
        )
    )


@router.get(
    "/public/funds/{fund_id}/ledger",
    summary="Every inflow and outflow, running balance and hash chain (no login)",
)
async def ledger(
    fund_id: UUID,
    request: Request,
    db: Db,
    period: Period,
    format: PageFormat = None,
) -> Any:
    # A whole history, unauthenticated: rendered off the event loop, or as JSON by orjson.
    if wants_html(request, format):
        whole, check = await queries.ledger.ledger_and_check(db, fund_id)
        zone = _office(request)[0]
        view = {
            **_in_period(whole, period, zone),
            "months": queries.ledger.months(whole, zone),
            "sequences": {str(e["reference"]): e["sequence"] for e in whole["entries"]},
        }
        page = await asyncio.to_thread(ledger_page, view, check, *_office(request), _urls(request))
        return public_pages.response(page)
    view = await queries.ledger.public_ledger(db, fund_id)
    view = _in_period(view, period, _office(request)[0])
    return Response(orjson.dumps(view, default=str), media_type="application/json")


@router.get(
    "/public/funds/{fund_id}/ledger.csv",
    summary="The ledger as CSV, amounts in fen and yuan (no login; its errors, to a browser, "
    "as a page in Chinese)",
    openapi_extra=error_pages.FOR_PEOPLE,
)
async def ledger_csv(
    fund_id: UUID,
    request: Request,
    db: Db,
    period: Period,
    header: Annotated[
        Literal["headings", "keys"],
        Query(
            description="headings: for people (default): headed and worded in Chinese as the "
            "ledger page, times in the office's; keys: the column names and the entries as "
            "stored, times in UTC (what each hash covers: recompute the chain from these)"
        ),
    ] = "headings",
) -> Response:
    view = await queries.ledger.public_ledger(db, fund_id)
    view = _in_period(view, period, _office(request)[0])
    zone = _office(request)[0] if header == "headings" else None
    text = await asyncio.to_thread(queries.ledger.ledger_csv, view, zone)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ledger-{fund_id}.csv"'},
    )


@router.get(
    "/public/funds/{fund_id}/ledger/verify",
    summary="Recompute the chain and compare it with the fund's events; the first broken entry "
    "(as a page, 收支记录校验, with ?format=html or Accept: text/html)",
)
async def verify(fund_id: UUID, request: Request, db: Db, format: PageFormat = None) -> Any:
    if wants_html(request, format):
        fund, check = await queries.verification.verification(db, fund_id)
        return public_pages.response(
            verification_page(fund, check, _office(request)[1], _urls(request))
        )
    return await queries.verification.verify_ledger(db, fund_id)


@router.get(
    "/public/funds/{fund_id}/ledger/entries/{sequence}",
    name="ledger_entry",
    summary="One entry of the ledger as published, and whether the chain verifies up to it "
    "(no login; where a donation's acknowledgement sends its donor: as a page, 收支记录核对, "
    "with ?format=html or Accept: text/html)",
)
async def ledger_entry(
    fund_id: UUID,
    sequence: Annotated[int, Path(ge=1, le=2**31 - 1)],
    request: Request,
    db: Db,
    format: PageFormat = None,
) -> Any:
    view = await queries.ledger_entry.ledger_entry(db, fund_id, sequence)
    if wants_html(request, format):
        return public_pages.response(entry_page(view, *_office(request), _urls(request)))
    return Response(orjson.dumps(view, default=str), media_type="application/json")


@router.get(
    "/public/applications/{application_id}/disclosure",
    summary="One grant for the charity disclosure platform: purpose, selection, money, "
    "outcomes (as a page, 项目公示, with ?format=html or Accept: text/html)",
)
async def disclosure(
    application_id: UUID, request: Request, db: Db, format: PageFormat = None
) -> Any:
    view = await queries.disclosures.disclosure(db, application_id)
    if wants_html(request, format):
        return public_pages.response(disclosure_page(view, *_office(request), _urls(request)))
    return view


@router.get(
    "/public/rounds/{round_id}/disclosure",
    summary="A round: its budget, its communities' envelopes and every grant, as disclosed "
    "(as a page, 项目批次公示, with ?format=html or Accept: text/html)",
)
async def round_disclosure(
    round_id: UUID, request: Request, db: Db, format: PageFormat = None
) -> Any:
    view = await queries.disclosures.round_disclosure(db, round_id)
    if wants_html(request, format):
        return public_pages.response(round_disclosure_page(view, *_office(request), _urls(request)))
    return view


def _in_period(
    view: dict[str, Any], period: tuple[date | None, date | None], zone: tzinfo
) -> dict[str, Any]:
    """The ledger of `period`, with its balances and flows (`period`), or, with neither day
    given, the whole of it as always."""
    first, last = period
    if first is None and last is None:
        return view
    shown = queries.ledger.in_period(view, *bounds(period, zone))
    return {**shown, "period": {"from": first, "to": last, **shown["period"]}}


def bounds(
    period: tuple[date | None, date | None], zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """A period's office days as the instants it runs from and before (its last day included)."""
    first, last = period
    since = None if first is None else datetime.combine(first, time(), zone)
    before = None if last is None else datetime.combine(last + timedelta(days=1), time(), zone)
    return since, before


def _office(request: Request) -> tuple[tzinfo, str]:
    """The office's time zone, and its name as its public pages give it."""
    settings = request.app.state.runtime.settings
    return settings.zone(), settings.display_name()


def _urls(request: Request) -> dict[str, str]:
    """The other services' public addresses (WUSHE_PUBLIC_URLS), for the pages' navigation."""
    return request.app.state.runtime.settings.public_urls


@router.get(
    "/public/projects",
    summary="The public projects list (项目清单公示, no login): each community's granted "
    "micro-venture projects, with what was approved, paid and spent",
)
async def public_projects_list(
    request: Request,
    db: Db,
    community_id: str | None = None,
    street: str | None = None,
    state: projects_list.ProjectState | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
    format: PageFormat = None,
) -> Any:
    await communities.filtering_by(db, community_id)
    listed = await projects_list.projects_list(
        db, community_id=community_id, street=street, state=state, limit=limit, cursor=cursor
    )
    if not wants_html(request, format):
        return listed
    filters = {"community_id": community_id, "street": street, "state": state, "limit": limit}
    settings = request.app.state.runtime.settings
    return public_pages.response(
        projects_list_page(
            listed,
            filters,
            settings.display_name(),
            settings.zone(),
            settings.public_contact,
            settings.public_urls,
        )
    )

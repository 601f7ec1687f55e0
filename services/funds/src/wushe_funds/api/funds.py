"""Funds, donations and refunds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from wushe_events.catalogue.funds import DonorKind
from wushe_funds import donations, donations_by_channel, queries
from wushe_funds.api.public import Period, bounds
from wushe_funds.commands import funds as commands
from wushe_funds.domain.fund import Fund
from wushe_service import communities, field_rules, paging
from wushe_service.api import AnyRole, Db, Role, Store, require
from wushe_service.money import yuan

router = APIRouter(tags=["funds"])

FundManager = Annotated[Any, require(Role.fund_manager)]
FundStaff = Annotated[Any, require(Role.fund_manager, Role.auditor)]


class FundCreated(BaseModel):
    fund_id: UUID


class DonationCreated(BaseModel):
    donation_id: UUID
    donor_name_kept: bool = Field(
        description="false when no donor_name (or donor_display) was given, or donor_name was "
        "given without publish_donor_name: the service keeps no donor name without consent, "
        "anywhere"
    )
    note: str | None = None


class RefundCreated(BaseModel):
    refund_id: UUID


class FundView(BaseModel):
    fund_id: UUID
    community_id: str | None
    community_name: str | None = Field(
        description="as the needs service registered it; null for an office-wide fund, or "
        "one whose community's registration has not reached this service yet"
    )
    community_street: str | None
    name: str
    balance_fen: int
    raised_fen: int
    donations: int
    refunded_fen: int
    disbursed_fen: int
    balance_yuan: str = Field(description="balance_fen as yuan, as the ledger writes it: '12.50'")
    raised_yuan: str
    refunded_yuan: str
    disbursed_yuan: str


def fund_view(fund: Fund, community: dict[str, str] | None) -> FundView:
    """A fund as its managers read it: its community by name, its figures in fen and yuan."""
    return FundView(
        fund_id=fund.fund_id,
        community_id=fund.community_id,
        community_name=community and community["name"],
        community_street=community and community["street"],
        name=fund.name,
        balance_fen=fund.balance_fen,
        raised_fen=fund.raised_fen,
        donations=fund.donations,
        refunded_fen=fund.refunded_fen,
        disbursed_fen=fund.disbursed_fen,
        balance_yuan=yuan(fund.balance_fen),
        raised_yuan=yuan(fund.raised_fen),
        refunded_yuan=yuan(fund.refunded_fen),
        disbursed_yuan=yuan(fund.disbursed_fen),
    )


@router.post("/funds", status_code=201, summary="Open a community (or office-wide) charity fund")
async def open_fund(body: commands.OpenFund, store: Store, _who: FundManager) -> FundCreated:
    return FundCreated(fund_id=await commands.open_fund(store, body, datetime.now(UTC)))


@router.post(
    "/funds/{fund_id}/donations",
    status_code=201,
    summary="Receive a donation into a fund (a receipt number again: 200 and the same donation)",
    description="A receipt number records one donation, however it is typed (in either case, "
    "spaces around it ignored, full-width as half-width, another dash as -). Sent again with "
    "the same donation (a retried request), the answer is 200 with the donation recorded "
    "first; with another donation, 409 receipt_number_used.",
    responses={200: {"description": "the donation of this receipt number, recorded before"}},
)
async def receive_donation(
    fund_id: UUID,
    body: commands.ReceiveDonation,
    store: Store,
    response: Response,
    _who: FundManager,
) -> DonationCreated:
    donation_id, recorded = await commands.receive_donation(store, fund_id, body, datetime.now(UTC))
    if not recorded:
        response.status_code = 200
    kept = body.published_name is not None
    dropped = body.donor_name is not None and not kept
    return DonationCreated(
        donation_id=donation_id,
        donor_name_kept=kept,
        note="donor_name was not kept: without publish_donor_name the donation is recorded "
        "from an anonymous donor, and the name is stored nowhere"
        if dropped
        else None,
    )


@router.get(
    "/funds/{fund_id}/donations",
    summary="A fund's donations, in the order received, with what was refunded of each",
    description="received_from and received_to are dates in the office's time zone, both "
    "included. A donor's name is shown only where they consented to be named.",
)
async def list_donations(
    fund_id: UUID,
    request: Request,
    db: Db,
    _who: FundStaff,
    receipt_number: str | None = None,
    number: Annotated[
        int | None,
        Query(
            ge=1,
            le=999_999_999,
            description="the donation's number in the fund, its acknowledgement's (确认书编号): "
            "12 or as printed, 000012",
        ),
    ] = None,
    donor_kind: DonorKind | None = None,
    channel: Annotated[
        str | None,
        Query(
            max_length=64,
            description="how it came in: bank-transfer, wechat-pay (with the older wechat), "
            "alipay, cash, or an office's own code",
        ),
    ] = None,
    received_from: date | None = None,
    received_to: date | None = None,
    refunded: Annotated[
        bool | None, Query(description="true: refunded in part or whole; false: not at all")
    ] = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[dict[str, Any]]:
    if received_from and received_to and received_to < received_from:
        field_rules.refuse(
            "received_to",
            f"must be on or after received_from: {received_to} is before {received_from} "
            "(swap them)",
            "period_reversed",
        )
    await queries.funds.fund_figures(db, fund_id)  # 404 for a fund that does not exist
    zone = request.app.state.runtime.settings.zone()
    since = None if received_from is None else datetime.combine(received_from, time(), zone)
    before = None if received_to is None else datetime.combine(received_to, time(), zone)
    return await donations.donations(
        db,
        fund_id,
        receipt_number=receipt_number,
        number=number,
        donor_kind=donor_kind and donor_kind.value,
        channel=channel,
        received_since=since,
        received_before=before and before + timedelta(days=1),
        refunded=refunded,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/funds/{fund_id}/donations/by-channel",
    summary="A period's donations by channel, with what was received, refunded and stands of "
    "each (month-end reconciliation)",
    description="from and to are days at the office's clock, both included, as the ledger's "
    "period: a donation counts in the period it was received, a refund in the period it was "
    "paid back, under its donation's channel; the totals are the ledger's donation inflows and "
    "refund outflows of the same period. Without from and to: the fund's whole history.",
)
async def donations_by_channel_view(
    fund_id: UUID, request: Request, db: Db, period: Period, _who: FundStaff
) -> dict[str, Any]:
    await queries.funds.fund_figures(db, fund_id)  # 404 for a fund that does not exist
    zone = request.app.state.runtime.settings.zone()
    view = await donations_by_channel.by_channel(db, fund_id, *bounds(period, zone))
    return {"fund_id": fund_id, "period": {"from": period[0], "to": period[1]}, **view}


@router.get(
    "/funds/{fund_id}/donations/by-channel.csv",
    summary="The same as a CSV for the accountant (UTF-8 with a BOM, headed in Chinese)",
    response_class=Response,
)
async def donations_by_channel_csv(
    fund_id: UUID, request: Request, db: Db, period: Period, _who: FundStaff
) -> Response:
    view = await donations_by_channel_view(fund_id, request, db, period, _who)
    days = "-".join(str(d) for d in period if d is not None)
    name = f"donations-by-channel-{fund_id}{'-' + days if days else ''}.csv"
    return Response(
        donations_by_channel.by_channel_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/funds/{fund_id}/donations/{donation_id}/refund",
    status_code=201,
    summary="Pay a donation (or part of it) back, with a reason",
)
async def refund_donation(
    fund_id: UUID,
    donation_id: UUID,
    body: commands.RefundDonation,
    store: Store,
    _who: FundManager,
) -> RefundCreated:
    refund_id = await commands.refund_donation(store, fund_id, donation_id, body, datetime.now(UTC))
    return RefundCreated(refund_id=refund_id)


@router.get("/funds", summary="The office's funds, oldest first, with their balances")
async def list_funds(
    db: Db,
    _who: AnyRole,
    community: str | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[dict[str, Any]]:
    return await queries.funds.funds_list(db, community_id=community, limit=limit, cursor=cursor)


@router.get("/funds/{fund_id}", summary="A fund, its community and its balance")
async def get_fund(fund_id: UUID, store: Store, _who: AnyRole) -> FundView:
    fund = await commands.get_fund(store, fund_id)
    # After the fund's transaction: the request holds one pooled connection at a time.
    async with store.connection() as db:
        names = await communities.names(db, {fund.community_id} if fund.community_id else set())
    return fund_view(fund, names.get(fund.community_id or ""))

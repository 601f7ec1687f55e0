"""A donation's acknowledgement (捐赠确认书) for the staff to print and hand to the donor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wushe_funds import donations, store
from wushe_funds.acknowledgement import acknowledgement
from wushe_funds.pages import acknowledgement as acknowledgement_sheet
from wushe_funds.queries.history import fund_opened
from wushe_service import printed_checks, sheet_style
from wushe_service.api import Db, PageFormat, Role, require, wants_html
from wushe_service.sql import snapshot

router = APIRouter(tags=["funds"])
FundStaff = Annotated[Any, require(Role.fund_manager, Role.auditor)]

# The sheet runs no script and loads nothing: its style is its own <style>, allowed by its
# hash; its QR code an inline <svg>. Opened from the workbench it keeps the workbench's policy
# (a blob's), which allows the same hash.
_HEADERS = sheet_style.headers(acknowledgement_sheet.STYLE)


@router.get(
    "/funds/{fund_id}/donations/{donation_id}/acknowledgement",
    summary="A donation's acknowledgement (捐赠确认书): JSON, or a printable A4 page in Chinese "
    "(?format=html or Accept: text/html)",
    description="Issued in the office's name (WUSHE_OFFICE_NAME) to the donor as recorded — "
    "their name only where they consented, else 爱心人士 / 爱心企业 / 爱心单位 by donor_kind — "
    "with the amount in figures and in capitals, the day received at the office's clock, the "
    "channel, the receipt number, the ledger entry recording it (sequence and hash) and the "
    "public addresses where the donor checks it: verify_url (that entry, also as a QR code on "
    "the page) and ledger_url. A refunded donation's says so (state refunded or "
    "partly_refunded, with each refund's day, amount and reason).",
)
async def show(
    fund_id: UUID,
    donation_id: UUID,
    request: Request,
    db: Db,
    _who: FundStaff,
    format: PageFormat = None,
) -> Response:
    async with snapshot(db):
        opened = await fund_opened(db, fund_id)
        donation = await donations.donation(db, fund_id, donation_id)
        entry = await store.ledger.donation_entry(db, fund_id, donation_id)
    settings = request.app.state.runtime.settings
    office = {"name": settings.display_name(), "zone": settings.zone(), "now": datetime.now(UTC)}
    fund = {"fund_id": fund_id, "name": opened.name}
    sheet = acknowledgement(
        donation, fund, entry and dict(entry), office, _addresses(request, fund_id, entry)
    )
    if wants_html(request, format):
        return HTMLResponse(acknowledgement_sheet.acknowledgement_page(sheet), headers=_HEADERS)
    return Response(orjson.dumps(sheet, default=str), media_type="application/json")


def _addresses(request: Request, fund_id: UUID, entry: Any) -> dict[str, str]:
    """Where the donor checks the gift, as the public reaches it: its entry, and the ledger."""
    ledger = printed_checks.address(request, "ledger", fund_id=fund_id)
    if entry is None:
        verify = printed_checks.address(request, "verify", fund_id=fund_id)
    else:
        verify = printed_checks.address(
            request, "ledger_entry", fund_id=fund_id, sequence=entry["sequence"]
        )
    return {"ledger_url": ledger, "verify_url": verify}

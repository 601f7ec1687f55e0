"""A donation's acknowledgement (捐赠确认书): the sheet the office hands a donor, saying that
the fund received their gift, and where on the public ledger they can check it. Pure: drawn
up from the donation as recorded, its ledger entry and the office's settings.

Only what the donation holds: a donor's name where they consented to it (the only name ever
kept), else the words a Chinese receipt uses for an unnamed giver, by kind. A refunded gift's
sheet says so first, never as if the gift stood.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from uuid import UUID

from wushe_funds import purposes
from wushe_service.capital_numerals import capitals
from wushe_service.money import yuan

# An unnamed donor, as a charity's receipt addresses them: a person 爱心人士, a company
# 爱心企业, any other body (a party branch, a social organisation, a department) 爱心单位.
UNNAMED = {
    "individual": "爱心人士",
    "enterprise": "爱心企业",
    "organisation": "爱心单位",
    "government": "爱心单位",
}


def day(moment: datetime, zone: tzinfo) -> str:
    """A date as an official document writes it, at the office's clock: 2026年12月7日."""
    local = moment.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日"


def number_text(number: int) -> str:
    """An acknowledgement's number as the sheet prints it: six digits at least, 000012."""
    return f"{number:06d}"


def state(amount_fen: int, refunded_fen: int) -> str:
    if refunded_fen == 0:
        return "received"
    return "refunded" if refunded_fen >= amount_fen else "partly_refunded"


def acknowledgement(
    donation: dict[str, Any],
    fund: dict[str, Any],
    entry: dict[str, Any] | None,
    office: dict[str, Any],
    addresses: dict[str, str],
) -> dict[str, Any]:
    """The sheet's content. `donation` as `donations.donation` gives it, with its `number`;
    `fund` its `fund_id` and `name`; `entry` the ledger row's `sequence` and `hash` (None if it
    has none); `office` its `name`, `zone` and `now` (the day it is issued); `addresses` the
    public `ledger_url` and `verify_url` (the entry's check)."""
    zone, amount, refunded = office["zone"], donation["amount_fen"], donation["refunded_fen"]
    named = donation["donor_display"] is not None
    return {
        "donation_id": donation["donation_id"],
        # Its number in the fund (确认书编号), 1, 2, 3… in the order the fund received them.
        "number": donation["number"],
        "number_text": number_text(donation["number"]),
        "fund_id": fund["fund_id"],
        "fund_name": fund["name"],
        "issuer": office["name"],
        "issued_on": day(office["now"], zone),
        "donor": donation["donor_display"] if named else UNNAMED[donation["donor_kind"]],
        "donor_named": named,
        "donor_kind": donation["donor_kind"],
        **_money("amount", amount),
        "received_at": donation["received_at"],
        "received_on": day(donation["received_at"], zone),
        "zone": purposes.zone(zone),
        "channel": donation["channel"],
        "channel_words": purposes.CHANNEL_WORDS.get(donation["channel"] or "", donation["channel"]),
        "receipt_number": donation["receipt_number"],
        "state": state(amount, refunded),
        **_money("refunded", refunded),
        **_money("standing", amount - refunded),
        "refunds": [_refund(r, zone) for r in donation["refunds"]],
        "ledger_entry": None if entry is None else {k: entry[k] for k in ("sequence", "hash")},
        **addresses,
    }


def _money(name: str, fen: int) -> dict[str, Any]:
    return {f"{name}_fen": fen, f"{name}_yuan": yuan(fen), f"{name}_in_capitals": capitals(fen)}


def _refund(refund: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    """A refund as the donor is told it: when, how much, why in the office's published words
    (the staff's own note stays with the staff)."""
    at = datetime.fromisoformat(refund["refunded_at"])
    return {
        "refund_id": UUID(refund["refund_id"]),
        "refunded_at": at,
        "refunded_on": day(at, zone),
        **_money("amount", refund["amount_fen"]),
        "reason": refund["reason"],
        "reason_words": purposes.REASONS.get(refund["reason"], refund["reason"]),
    }

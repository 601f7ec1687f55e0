"""The fund aggregate: a community charity fund. Its stream holds every movement of money
(donations, refunds, disbursements), so the balance is decided on one version at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import (
    DonationReceived,
    DonationRefunded,
    DonorKind,
    FundOpened,
    GrantDisbursed,
)
from wushe_events.errors import NotFound, RuleBroken
from wushe_funds.domain.receipts import receipt_key
from wushe_funds.domain.short import short_of


@dataclass(frozen=True)
class Fund:
    fund_id: UUID
    community_id: str | None
    name: str
    balance_fen: int = 0
    raised_fen: int = 0
    donations: int = 0
    refunded_fen: int = 0
    disbursed_fen: int = 0


def open_fund(fund_id: UUID, community_id: str | None, name: str) -> list[Event]:
    return [FundOpened(fund_id=fund_id, community_id=community_id, name=name)]


def found(fund: Fund | None, fund_id: UUID) -> Fund:
    if fund is None:
        raise NotFound("fund", fund_id)
    return fund


def receive_donation(
    fund: Fund | None,
    fund_id: UUID,
    donation_id: UUID,
    amount_fen: int,
    donor_kind: DonorKind,
    donor_name: str | None,
    publish_donor_name: bool,
    channel: str | None,
    receipt_number: str | None = None,
    earlier: DonationReceived | None = None,
    receipt_fund: UUID | None = None,
) -> list[Event]:
    """`earlier`: the fund's donation with this receipt number, if any (`with_receipt`). A
    receipt records one donation: the same one again is a retry and records nothing.
    `receipt_fund`: the fund of the office whose donation the number records, if any — a
    receipt book is the organisation's, so a number is used once in the office."""
    fund = found(fund, fund_id)
    if amount_fen <= 0:
        raise RuleBroken("donation_positive", "a donation is a positive amount of fen")
    if receipt_fund is not None and receipt_fund != fund_id:
        raise RuleBroken(
            "receipt_number_used",
            f"receipt {receipt_number} records a donation to fund {receipt_fund}",
        )
    received = DonationReceived(
        donation_id=donation_id,
        fund_id=fund.fund_id,
        amount_fen=amount_fen,
        donor_kind=donor_kind,
        channel=channel,
        # Donors are named publicly only with their consent; otherwise "anonymous donor".
        donor_display=donor_name if publish_donor_name else None,
        receipt_number=receipt_number,
    )
    if earlier is None:
        return [received]
    # The same receipt typed another way (`sj-2026-001` for SJ-2026-001) is the same donation
    # again: its number is the earlier's, as recorded first.
    again = {"donation_id": earlier.donation_id, "receipt_number": earlier.receipt_number}
    if received.model_copy(update=again) != earlier:
        raise RuleBroken(
            "receipt_number_used",
            f"receipt {receipt_number} records donation {earlier.donation_id}, not this one",
        )
    return []


def with_receipt(history: Iterable[Event], receipt_number: str | None) -> DonationReceived | None:
    """The donation that a receipt number records, however either was typed (`receipt_key`),
    if any: the first, should a fund hold a number twice from before numbers were unique, or
    before they were compared in either case."""
    if receipt_number is None:
        return None
    key = receipt_key(receipt_number)
    return next(
        (
            e
            for e in history
            if isinstance(e, DonationReceived)
            and e.receipt_number is not None
            and receipt_key(e.receipt_number) == key
        ),
        None,
    )


def covers(fund: Fund, amount_fen: int) -> None:
    if amount_fen > fund.balance_fen:
        raise short_of(
            "fund_balance_insufficient",
            f"fund {fund.fund_id} holds {fund.balance_fen} fen, not {amount_fen}",
            left_fen=fund.balance_fen,
        )


def left_to_refund(history: Iterable[Event], donation_id: UUID) -> int | None:
    """What is left to refund of a donation; None if the fund never received it. Read from
    the fund's history rather than kept in `Fund`: a map of every donation, copied at each
    step of the fold, would make loading a fund quadratic in its donations."""
    left = None
    for event in history:
        match event:
            case DonationReceived() if event.donation_id == donation_id:
                left = event.amount_fen
            case DonationRefunded() if event.donation_id == donation_id and left is not None:
                left -= event.amount_fen
    return left


def refund_donation(
    fund: Fund | None,
    fund_id: UUID,
    refund_id: UUID,
    donation_id: UUID,
    left: int | None,
    amount_fen: int | None,
    reason: str,
) -> list[Event]:
    """`left`: what `left_to_refund` gives for the donation."""
    fund = found(fund, fund_id)
    if left is None:
        raise NotFound("donation", donation_id)
    amount = left if amount_fen is None else amount_fen
    if amount <= 0 or amount > left:
        raise RuleBroken(
            "refund_exceeds_donation", f"donation {donation_id} has {left} fen left to refund"
        )
    covers(fund, amount)
    return [
        DonationRefunded(
            refund_id=refund_id,
            fund_id=fund_id,
            donation_id=donation_id,
            amount_fen=amount,
            reason=reason,
        )
    ]


def disburse(
    fund: Fund | None,
    fund_id: UUID,
    disbursement_id: UUID,
    application_id: UUID,
    amount_fen: int,
    *,
    round_id: UUID | None = None,
    tranche: int | None = None,
    purpose: str | None = None,
    counterpart: str | None = None,
) -> list[Event]:
    fund = found(fund, fund_id)
    covers(fund, amount_fen)
    return [
        GrantDisbursed(
            disbursement_id=disbursement_id,
            application_id=application_id,
            fund_id=fund_id,
            amount_fen=amount_fen,
            round_id=round_id,
            tranche=tranche,
            purpose=purpose,
            counterpart=counterpart,
        )
    ]


def evolve_fund(state: Fund | None, event: Event) -> Fund:
    match event:
        case FundOpened():
            return Fund(event.fund_id, event.community_id, event.name)
        case DonationReceived() if state is not None:
            return replace(
                state,
                balance_fen=state.balance_fen + event.amount_fen,
                raised_fen=state.raised_fen + event.amount_fen,
                donations=state.donations + 1,
            )
        case DonationRefunded() if state is not None:
            return replace(
                state,
                balance_fen=state.balance_fen - event.amount_fen,
                refunded_fen=state.refunded_fen + event.amount_fen,
            )
        case GrantDisbursed() if state is not None:
            return replace(
                state,
                balance_fen=state.balance_fen - event.amount_fen,
                disbursed_fen=state.disbursed_fen + event.amount_fen,
            )
    raise TypeError(f"{event.type} does not apply to a fund")

"""The fund aggregate: a community charity fund and its balance. Pure: decisions and folds."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import (
    DonationReceived,
    DonorKind,
    FundOpened,
    GrantDisbursed,
)
from wushe_events.errors import NotFound, RuleBroken


@dataclass(frozen=True)
class Fund:
    fund_id: UUID
    community_id: str | None
    name: str
    balance_fen: int = 0
    raised_fen: int = 0
    donations: int = 0


def open_fund(fund_id: UUID, community_id: str | None, name: str) -> list[Event]:
    return [FundOpened(fund_id=fund_id, community_id=community_id, name=name)]


def receive_donation(
    fund: Fund | None,
    fund_id: UUID,
    donation_id: UUID,
    amount_fen: int,
    donor_kind: DonorKind,
    donor_name: str | None,
    publish_donor_name: bool,
    channel: str | None,
) -> list[Event]:
    if fund is None:
        raise NotFound("fund", fund_id)
    if amount_fen <= 0:
        raise RuleBroken("donation_positive", "a donation is a positive amount of fen")
    return [
        DonationReceived(
            donation_id=donation_id,
            fund_id=fund.fund_id,
            amount_fen=amount_fen,
            donor_kind=donor_kind,
            channel=channel,
            # Donors are named publicly only with their consent; otherwise "anonymous donor".
            donor_display=donor_name if publish_donor_name else None,
        )
    ]


def evolve_fund(state: Fund | None, event: Event) -> Fund:
    match event:
        case FundOpened():
            return Fund(event.fund_id, event.community_id, event.name)
        case DonationReceived() if state is not None:
            return Fund(
                state.fund_id,
                state.community_id,
                state.name,
                state.balance_fen + event.amount_fen,
                state.raised_fen + event.amount_fen,
                state.donations + 1,
            )
        case GrantDisbursed() if state is not None:
            return Fund(
                state.fund_id,
                state.community_id,
                state.name,
                state.balance_fen - event.amount_fen,
                state.raised_fen,
                state.donations,
            )
    raise TypeError(f"{event.type} does not apply to a fund")

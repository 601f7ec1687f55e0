"""The micro-venture grant round (微创投): its budget, caps, themes, criteria and deadline.
Its stream holds the budget committed to approved applications, so that racing approvals
never commit more than the budget, and its early close or cancellation, so that an approval
racing a cancellation is refused by the round's version."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import (
    RoundAllocated,
    RoundCancelled,
    RoundClosed,
    RoundOpened,
    RoundReleased,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_funds.domain.fund import Fund
from wushe_funds.domain.short import short_of

_APPLICATIONS = uuid.UUID("5b0b7f0e-3c55-4d0f-9a43-6f1f3b8f2c11")


def application_id(round_id: UUID, team_id: UUID) -> UUID:
    """One id per team and round: the application's stream can be created once, whoever
    races for it (one application per team per round)."""
    return uuid.uuid5(_APPLICATIONS, f"{round_id}/{team_id}")


@dataclass(frozen=True)
class Round:
    round_id: UUID
    fund_id: UUID
    name: str | None
    budget_fen: int
    themes: tuple[str, ...]
    closes_at: datetime
    per_project_cap_fen: int | None
    criteria: tuple[str, ...]
    allocated_fen: int = 0
    grants: int = 0  # applications ever approved in it
    closed_because: str | None = None  # closed before its deadline
    cancelled_because: str | None = None
    # Envelopes: each community's part of the budget, and what approvals committed of it.
    community_budgets_fen: Mapping[str, int] = field(default_factory=dict)
    community_allocated_fen: Mapping[str, int] = field(default_factory=dict)

    @property
    def cap_fen(self) -> int:
        return min(self.budget_fen, self.per_project_cap_fen or self.budget_fen)

    def cap_in(self, community_id: str) -> int:
        """What one project of the community may ask for: the round's cap, within the
        community's envelope when the round has envelopes."""
        return min(self.cap_fen, self.community_budgets_fen.get(community_id, self.cap_fen))

    def community_left_fen(self, community_id: str) -> int | None:
        """What the community's envelope has left to grant; None where the round has none."""
        if community_id not in self.community_budgets_fen:
            return None
        return self.community_budgets_fen[community_id] - self.community_allocated_fen.get(
            community_id, 0
        )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_because is not None

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at and self.closed_because is None and not self.cancelled

    def state(self, now: datetime) -> str:
        if self.cancelled:
            return "cancelled"
        return "open" if self.is_open(now) else "closed"


def takes_applications(round_: Round, now: datetime) -> None:
    """A round takes applications until its deadline, unless closed early or cancelled."""
    if round_.cancelled:
        raise RuleBroken(
            "round_cancelled",
            f"round {round_.round_id} was cancelled ({round_.cancelled_because})",
        )
    if round_.closed_because is not None:
        raise RuleBroken(
            "round_closed",
            f"round {round_.round_id} was closed early ({round_.closed_because})",
        )
    if not round_.is_open(now):
        raise RuleBroken("round_closed", f"round {round_.round_id} closed at {round_.closes_at}")


def found(round_: Round | None, round_id: UUID) -> Round:
    if round_ is None:
        raise NotFound("round", round_id)
    return round_


def open_round(
    fund: Fund | None,
    round_id: UUID,
    fund_id: UUID,
    *,
    name: str | None,
    budget_fen: int,
    themes: list[str],
    closes_at: datetime,
    per_project_cap_fen: int | None,
    criteria: list[str],
    community_budgets_fen: Mapping[str, int] | None = None,
    now: datetime,
) -> list[Event]:
    """`community_budgets_fen`, envelopes: the part of the budget each community's projects
    may be granted; a round with envelopes takes applications from those communities only.
    The communities must be known (the caller checks), and the envelopes within the budget."""
    if fund is None:
        raise InvalidReference("fund_id", f"no fund {fund_id}")
    if closes_at <= now:
        raise InvalidReference("closes_at", "a round closes in the future")
    if per_project_cap_fen is not None and per_project_cap_fen > budget_fen:
        raise InvalidReference("per_project_cap_fen", "the per-project cap exceeds the budget")
    if not criteria:
        raise InvalidReference("criteria", "reviewers need at least one criterion to score")
    envelopes = dict(community_budgets_fen or {})
    if sum(envelopes.values()) > budget_fen:
        raise InvalidReference(
            "community_budgets_fen",
            f"the communities' envelopes add up to {sum(envelopes.values())} fen, more than "
            f"the round's budget of {budget_fen} fen",
            "envelopes_exceed_budget",
        )
    outside = sorted(set(envelopes) - {fund.community_id}) if fund.community_id else []
    if outside:
        raise InvalidReference(
            "community_budgets_fen",
            f"fund {fund_id} is community {fund.community_id}'s: its rounds grant projects "
            f"there only, not in {', '.join(outside)}",
            "envelope_outside_fund",
        )
    return [
        RoundOpened(
            round_id=round_id,
            fund_id=fund_id,
            name=name,
            budget_fen=budget_fen,
            themes=themes,
            closes_at=closes_at,
            per_project_cap_fen=per_project_cap_fen,
            criteria=criteria,
            community_budgets_fen=envelopes,
        )
    ]


def close(round_: Round, reason: str, now: datetime) -> list[Event]:
    """No more applications; those it holds are still reviewed, decided and paid."""
    takes_applications(round_, now)
    return [RoundClosed(round_id=round_.round_id, fund_id=round_.fund_id, reason=reason)]


def cancel(round_: Round, reason: str, pending: Sequence[UUID]) -> list[Event]:
    """Called off while nothing of it was approved (so nothing paid): `pending`, the
    applications still awaiting a decision, end with it."""
    if round_.cancelled:
        raise RuleBroken(
            "round_cancelled",
            f"round {round_.round_id} was cancelled ({round_.cancelled_because})",
        )
    if round_.grants:
        raise RuleBroken(
            "round_has_grants",
            f"round {round_.round_id} approved {round_.grants} grant(s): it cannot be cancelled; "
            "close it to take no more applications",
        )
    return [
        RoundCancelled(
            round_id=round_.round_id,
            fund_id=round_.fund_id,
            reason=reason,
            ended_application_ids=list(pending),
        )
    ]


def allocate(
    round_: Round, application_id: UUID, community_id: str, amount_fen: int
) -> list[Event]:
    if round_.cancelled:
        raise RuleBroken(
            "round_cancelled",
            f"round {round_.round_id} was cancelled ({round_.cancelled_because})",
        )
    left = round_.budget_fen - round_.allocated_fen
    if amount_fen > left:
        raise short_of(
            "round_budget_exceeded",
            f"round {round_.round_id} has {left} fen of its budget left, not {amount_fen}",
            left_fen=left,
        )
    envelope_left = round_.community_left_fen(community_id)
    if envelope_left is not None and amount_fen > envelope_left:
        raise short_of(
            "community_budget_exceeded",
            f"round {round_.round_id} has {envelope_left} fen left of community "
            f"{community_id}'s envelope, not {amount_fen}",
            left_fen=envelope_left,
        )
    return [
        RoundAllocated(
            round_id=round_.round_id,
            application_id=application_id,
            amount_fen=amount_fen,
            community_id=community_id,
        )
    ]


def release(round_: Round, application_id: UUID, community_id: str, amount_fen: int) -> list[Event]:
    """A grant's allocation it will not be paid, back in the budget (结余) and in its
    community's envelope; nothing if none."""
    if amount_fen <= 0:
        return []
    return [
        RoundReleased(
            round_id=round_.round_id,
            application_id=application_id,
            amount_fen=amount_fen,
            community_id=community_id,
        )
    ]


def _counted(state: Round, community_id: str | None, amount_fen: int) -> Mapping[str, int]:
    """What the round's envelopes have committed, after an allocation or release (counted in
    communities with an envelope only: a round without them commits its budget alone)."""
    if community_id is None or community_id not in state.community_budgets_fen:
        return state.community_allocated_fen
    allocated = state.community_allocated_fen
    return {**allocated, community_id: allocated.get(community_id, 0) + amount_fen}


def evolve(state: Round | None, event: Event) -> Round:
    match event:
        case RoundOpened():
            return Round(
                event.round_id,
                event.fund_id,
                event.name,
                event.budget_fen,
                tuple(event.themes),
                event.closes_at,
                event.per_project_cap_fen,
                tuple(event.criteria),
                community_budgets_fen=event.community_budgets_fen,
            )
        case RoundAllocated() if state is not None:
            return replace(
                state,
                allocated_fen=state.allocated_fen + event.amount_fen,
                grants=state.grants + 1,
                community_allocated_fen=_counted(state, event.community_id, event.amount_fen),
            )
        case RoundClosed() if state is not None:
            return replace(state, closed_because=event.reason)
        case RoundCancelled() if state is not None:
            return replace(state, cancelled_because=event.reason)
        case RoundReleased() if state is not None:
            return replace(
                state,
                allocated_fen=state.allocated_fen - event.amount_fen,
                community_allocated_fen=_counted(state, event.community_id, -event.amount_fen),
            )
    raise TypeError(f"{event.type} does not apply to a round")

"""The micro-venture grant round (微创投): its budget, caps, themes, criteria and deadline.
Its stream holds the budget committed to approved applications, so that racing approvals
never commit more than the budget."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import RoundAllocated, RoundOpened, RoundReleased
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_funds.domain.fund import Fund

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

    @property
    def cap_fen(self) -> int:
        return min(self.budget_fen, self.per_project_cap_fen or self.budget_fen)

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at


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
    now: datetime,
) -> list[Event]:
    if fund is None:
        raise InvalidReference("fund_id", f"no fund {fund_id}")
    if closes_at <= now:
        raise InvalidReference("closes_at", "a round closes in the future")
    if per_project_cap_fen is not None and per_project_cap_fen > budget_fen:
        raise InvalidReference("per_project_cap_fen", "the per-project cap exceeds the budget")
    if not criteria:
        raise InvalidReference("criteria", "reviewers need at least one criterion to score")
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
        )
    ]


def allocate(round_: Round, application_id: UUID, amount_fen: int) -> list[Event]:
    left = round_.budget_fen - round_.allocated_fen
    if amount_fen > left:
        raise RuleBroken(
            "round_budget_exceeded",
            f"round {round_.round_id} has {left} fen of its budget left, not {amount_fen}",
        )
    return [
        RoundAllocated(
            round_id=round_.round_id, application_id=application_id, amount_fen=amount_fen
        )
    ]


def release(round_: Round, application_id: UUID, amount_fen: int) -> list[Event]:
    """A grant's allocation it will not be paid, back in the budget (结余); nothing if none."""
    if amount_fen <= 0:
        return []
    return [
        RoundReleased(
            round_id=round_.round_id, application_id=application_id, amount_fen=amount_fen
        )
    ]


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
            )
        case RoundAllocated() if state is not None:
            return replace(state, allocated_fen=state.allocated_fen + event.amount_fen)
        case RoundReleased() if state is not None:
            return replace(state, allocated_fen=state.allocated_fen - event.amount_fen)
    raise TypeError(f"{event.type} does not apply to a round")

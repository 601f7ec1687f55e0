"""An entry of the community needs list (需求清单): identified → matched → resolved | closed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    Dimension,
    MatchKind,
    NeedIdentified,
    NeedMatched,
    NeedOutcome,
    NeedResolved,
    Urgency,
)
from wushe_events.errors import NotFound, RuleBroken


class NeedState(StrEnum):
    open = "open"
    matched = "matched"
    resolved = "resolved"
    closed = "closed"


OPEN_STATES = (NeedState.open, NeedState.matched)


@dataclass(frozen=True)
class Need:
    need_id: UUID
    community_id: str
    resident_id: UUID
    category: str
    dimension: Dimension
    urgency: Urgency
    state: NeedState = NeedState.open


def _open(need: Need | None, need_id: UUID) -> Need:
    if need is None:
        raise NotFound("need", need_id)
    if need.state not in OPEN_STATES:
        raise RuleBroken("need_not_open", f"need {need_id} is already {need.state}")
    return need


def match(need: Need | None, need_id: UUID, kind: MatchKind, match_id: UUID) -> list[Event]:
    need = _open(need, need_id)
    return [
        NeedMatched(
            need_id=need_id, community_id=need.community_id, match_kind=kind, match_id=match_id
        )
    ]


def resolve(need: Need | None, need_id: UUID, outcome: NeedOutcome, reason: str) -> list[Event]:
    need = _open(need, need_id)
    return [
        NeedResolved(
            need_id=need_id, community_id=need.community_id, resolution=outcome, reason=reason
        )
    ]


def evolve(state: Need | None, event: Event) -> Need:
    match event:
        case NeedIdentified():
            return Need(
                event.need_id,
                event.community_id,
                event.resident_id,
                event.category,
                event.dimension,
                event.urgency,
            )
        case NeedMatched() if state is not None:
            return replace(state, state=NeedState.matched)
        case NeedResolved() if state is not None:
            return replace(state, state=NeedState(event.resolution.value))
    raise TypeError(f"{event.type} does not apply to a need")

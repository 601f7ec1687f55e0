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
    NeedMoved,
    NeedOutcome,
    NeedReprioritised,
    NeedResolved,
    NeedTransferred,
    NeedUnmatched,
    Urgency,
)
from wushe_events.errors import NotFound, RuleBroken


class NeedState(StrEnum):
    open = "open"
    matched = "matched"
    resolved = "resolved"
    closed = "closed"


OPEN_STATES = (NeedState.open, NeedState.matched)
# From the least urgent to the most: the catalogue's order.
URGENCIES = tuple(Urgency)


@dataclass(frozen=True)
class Need:
    need_id: UUID
    community_id: str
    resident_id: UUID
    category: str
    dimension: Dimension
    urgency: Urgency
    state: NeedState = NeedState.open
    match_kind: MatchKind | None = None
    match_id: UUID | None = None

    @property
    def wish_id(self) -> UUID | None:
        """The wish it is matched to, if any: whether that wish is still live, its history says."""
        if self.state is NeedState.matched and self.match_kind is MatchKind.wish:
            return self.match_id
        return None


def _open(need: Need | None, need_id: UUID) -> Need:
    if need is None:
        raise NotFound("need", need_id)
    if need.state not in OPEN_STATES:
        raise RuleBroken("need_not_open", f"need {need_id} is already {need.state}")
    return need


def _without_live_wish(need: Need, wish_live: bool) -> None:
    """A need and its wish move together: one live wish at a time, and a need is not resolved
    or closed under a wish still on the board."""
    if wish_live:
        raise RuleBroken(
            "need_has_live_wish",
            f"need {need.need_id} is answered by wish {need.wish_id}, still on the board: "
            "cancel the wish first",
        )


def match(
    need: Need | None, need_id: UUID, kind: MatchKind, match_id: UUID, *, wish_live: bool = False
) -> list[Event]:
    """`wish_live`: whether the wish it is matched to now is posted or claimed."""
    need = _open(need, need_id)
    _without_live_wish(need, wish_live)
    return [
        NeedMatched(
            need_id=need_id, community_id=need.community_id, match_kind=kind, match_id=match_id
        )
    ]


def served_by(need: Need | None, need_id: UUID, kind: MatchKind, match_id: UUID) -> list[Event]:
    """An approved micro-venture grant (微创投) or a scheduled activity names the need: the need
    is matched to it, if it is still open. A need already answered (by a wish, or another grant
    or activity), resolved, closed, or unknown here (of another office, or mistyped) is left as
    it is: the grant or activity goes ahead either way, and the needs list is the social
    workers' to keep."""
    if need is None or need.state is not NeedState.open:
        return []
    return [
        NeedMatched(
            need_id=need_id, community_id=need.community_id, match_kind=kind, match_id=match_id
        )
    ]


def unmatch(need: Need | None, need_id: UUID, match_id: UUID) -> list[Event]:
    """What answered the need ended unfulfilled (a wish cancelled or expired, an activity
    cancelled): open again, unless it was answered otherwise since or is resolved or closed
    already."""
    if need is None:
        raise NotFound("need", need_id)
    if need.state is not NeedState.matched or need.match_id != match_id:
        return []
    kind = need.match_kind or MatchKind.wish
    return [
        NeedUnmatched(
            need_id=need_id, community_id=need.community_id, match_kind=kind, match_id=match_id
        )
    ]


def answered(need: Need | None, need_id: UUID, match_id: UUID) -> list[Event]:
    """What answered the need was done (its wish confirmed): resolved, unless it was answered
    otherwise since or is resolved or closed already."""
    if need is None:
        raise NotFound("need", need_id)
    if need.state is not NeedState.matched or need.match_id != match_id:
        return []
    return [
        NeedResolved(
            need_id=need_id,
            community_id=need.community_id,
            resolution=NeedOutcome.resolved,
            reason="wish-confirmed",
        )
    ]


def resolve(
    need: Need | None,
    need_id: UUID,
    outcome: NeedOutcome,
    reason: str,
    *,
    wish_live: bool = False,
    has_notes: bool = False,
) -> list[Event]:
    """`has_notes`: notes on how it ended are sealed with it (`resident.may_keep_notes`)."""
    need = _open(need, need_id)
    _without_live_wish(need, wish_live)
    return [
        NeedResolved(
            need_id=need_id,
            community_id=need.community_id,
            resolution=outcome,
            reason=reason,
            has_notes=has_notes,
        )
    ]


def reprioritise(need: Need | None, need_id: UUID, urgency: Urgency) -> list[Event]:
    """Raise an open or matched need's urgency. Never lowered: the list is worked from the
    most urgent down, and a need quietly made less urgent would drop out of sight."""
    need = _open(need, need_id)
    higher = URGENCIES[URGENCIES.index(need.urgency) + 1 :]
    if urgency not in higher:
        raise RuleBroken(
            "urgency_only_rises",
            f"need {need_id} is already {need.urgency.value}: its urgency only rises "
            f"({', '.join(u.value for u in higher) or 'none is higher'})",
        )
    return [
        NeedReprioritised(
            need_id=need_id,
            community_id=need.community_id,
            urgency=urgency,
            from_urgency=need.urgency,
        )
    ]


def move(need: Need | None, need_id: UUID, community_id: str) -> list[Event]:
    """Follow the resident to another community's list, while it is open or matched; a need
    resolved or closed stays where it was dealt with."""
    if need is None:
        raise NotFound("need", need_id)
    if need.state not in OPEN_STATES or need.community_id == community_id:
        return []
    return [
        NeedMoved(
            need_id=need_id,
            community_id=community_id,
            from_community_id=need.community_id,
            resident_id=need.resident_id,
        )
    ]


def transfer(need: Need | None, need_id: UUID, resident_id: UUID, community_id: str) -> list[Event]:
    """Hand a duplicate record's need to the resident kept (a merge), onto their community's
    list, while it is open or matched; a need resolved or closed stays with the record it was
    dealt with on."""
    if need is None:
        raise NotFound("need", need_id)
    if need.state not in OPEN_STATES or need.resident_id == resident_id:
        return []
    return [
        NeedTransferred(
            need_id=need_id,
            community_id=community_id,
            from_community_id=need.community_id,
            resident_id=resident_id,
            from_resident_id=need.resident_id,
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
            return replace(
                state, state=NeedState.matched, match_kind=event.match_kind, match_id=event.match_id
            )
        case NeedUnmatched() if state is not None:
            return replace(state, state=NeedState.open, match_kind=None, match_id=None)
        case NeedMoved() if state is not None:
            return replace(state, community_id=event.community_id)
        case NeedTransferred() if state is not None:
            return replace(state, community_id=event.community_id, resident_id=event.resident_id)
        case NeedReprioritised() if state is not None:
            return replace(state, urgency=event.urgency)
        case NeedResolved() if state is not None:
            return replace(state, state=NeedState(event.resolution.value))
    raise TypeError(f"{event.type} does not apply to a need")

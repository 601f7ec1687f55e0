"""Service hours: recorded pending, verified or declined by the organiser (谁组织谁记录),
corrected with a reason; never deleted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    HoursCorrected,
    HoursDeclined,
    HoursRecorded,
    HoursSource,
    HoursVerified,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_volunteers.domain.team import Caller, Team


class HoursState(StrEnum):
    pending = "pending"
    verified = "verified"
    declined = "declined"


@dataclass(frozen=True)
class HoursRecord:
    record_id: UUID
    volunteer_id: UUID
    hours: float
    source: HoursSource
    source_id: UUID
    team_id: UUID | None
    state: HoursState = HoursState.pending


def record_from_wish(
    existing: HoursRecord | None,
    record_id: UUID,
    volunteer_id: UUID,
    wish_id: UUID,
    hours: float,
) -> list[Event]:
    """Hours for a fulfilled micro-wish; once per wish and volunteer, however often told."""
    if existing is not None:
        return []
    return [
        HoursRecorded(
            record_id=record_id,
            volunteer_id=volunteer_id,
            hours=hours,
            source=HoursSource.wish,
            source_id=wish_id,
        )
    ]


def verify_confirmed_wish(
    record: HoursRecord | None, confirmed_by: UUID | None = None
) -> list[Event]:
    """A social worker confirmed the wish done: whoever organised the service checks it (谁组织
    谁记录), and for a micro-wish that is the social worker who posted and confirms it, so its
    pending hours are verified by that. Hours a coordinator declined or verified already stay
    as they are; however often told, once."""
    if (
        record is None
        or record.source is not HoursSource.wish
        or record.state is not HoursState.pending
    ):
        return []
    return [
        HoursVerified(
            record_id=record.record_id,
            volunteer_id=record.volunteer_id,
            hours=record.hours,
            source=record.source,
            source_id=record.source_id,
            verified_by=confirmed_by,  # the needs service's social worker, if their token said
        )
    ]


def _found(record: HoursRecord | None, record_id: UUID) -> HoursRecord:
    if record is None:
        raise NotFound("hours record", record_id)
    return record


def _may_judge(
    record: HoursRecord, teams: Sequence[Team], coordinator_id: UUID | None, caller: Caller
) -> None:
    """Hours from an activity are judged by a coordinator of the organising team (谁组织谁记录);
    hours from a wish, by a coordinator of a team the volunteer belongs to; any, by an admin
    (naming no coordinator, or one who may judge them).
    `teams` are those teams. Nobody judges their own hours: neither as the coordinator named
    nor as the person the token names."""
    if record.volunteer_id in (coordinator_id, caller.person_id):
        raise RuleBroken(
            "own_hours",
            f"volunteer {record.volunteer_id}'s hours are judged by someone else, "
            "never by the volunteer themself",
        )
    if caller.admin and coordinator_id is None:
        return  # an admin judges any team's hours as themself
    if record.team_id is not None:
        allowed = any(t.team_id == record.team_id and t.coordinates(coordinator_id) for t in teams)
        judges = "an admin or a coordinator of the organising team"
    else:
        allowed = any(
            record.volunteer_id in t.members and t.coordinates(coordinator_id) for t in teams
        )
        judges = "an admin or a coordinator of a team the volunteer belongs to"
    if not allowed:
        raise RuleBroken("not_team_coordinator", f"only {judges} verifies or declines these hours")


def verify(
    record: HoursRecord | None,
    record_id: UUID,
    teams: Sequence[Team],
    coordinator_id: UUID | None,
    caller: Caller,
) -> list[Event]:
    record = _found(record, record_id)
    if record.state is not HoursState.pending:
        raise RuleBroken("hours_not_pending", f"these hours are already {record.state}")
    _may_judge(record, teams, coordinator_id, caller)
    return [
        HoursVerified(
            record_id=record_id,
            volunteer_id=record.volunteer_id,
            hours=record.hours,
            source=record.source,
            source_id=record.source_id,
            # An admin who names no coordinator verifies as their token's person, if any; the
            # token itself is in the audit trail (never on the bus).
            verified_by=coordinator_id or caller.person_id,
        )
    ]


def decline(
    record: HoursRecord | None,
    record_id: UUID,
    teams: Sequence[Team],
    coordinator_id: UUID | None,
    caller: Caller,
    reason: str,
) -> list[Event]:
    record = _found(record, record_id)
    if record.state is HoursState.declined:
        raise RuleBroken("hours_declined", "these hours are already declined")
    _may_judge(record, teams, coordinator_id, caller)
    return [HoursDeclined(record_id=record_id, volunteer_id=record.volunteer_id, reason=reason)]


def correct(
    record: HoursRecord | None,
    record_id: UUID,
    teams: Sequence[Team],
    coordinator_id: UUID | None,
    caller: Caller,
    hours: float,
    reason: str,
    longest: float | None = None,
) -> list[Event]:
    """`longest`: the length of the activity the hours are from, in hours; no more is served."""
    record = _found(record, record_id)
    _may_judge(record, teams, coordinator_id, caller)
    if longest is not None and hours > longest:
        raise InvalidReference(
            "hours",
            f"the activity lasted {longest:g} hours: no more can be served in it",
            code="longer_than_activity",
        )
    if hours == record.hours and record.state is not HoursState.declined:
        raise RuleBroken("no_correction", f"these hours are already {hours}")
    return [
        HoursCorrected(
            record_id=record_id, volunteer_id=record.volunteer_id, hours=hours, reason=reason
        )
    ]


def evolve(state: HoursRecord | None, event: Event) -> HoursRecord:
    match event:
        case HoursRecorded():
            return HoursRecord(
                event.record_id,
                event.volunteer_id,
                event.hours,
                event.source,
                event.source_id,
                event.team_id,
            )
    if state is None:
        raise TypeError(f"{event.type} does not apply before hours are recorded")
    match event:
        case HoursVerified():
            return replace(state, state=HoursState.verified)
        case HoursDeclined():
            return replace(state, state=HoursState.declined)
        case HoursCorrected():
            return replace(state, hours=event.hours, state=HoursState.pending)
    raise TypeError(f"{event.type} does not apply to hours")

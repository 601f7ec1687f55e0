"""Activities: scheduled with places; sign-ups within capacity; attendance; cancellation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    ActivityCancelled,
    ActivityScheduled,
    AttendanceRecorded,
    HoursRecorded,
    HoursSource,
    SignupAccepted,
    SignupWithdrawn,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_volunteers.domain.place import Site
from wushe_volunteers.domain.team import Caller, Team, may_coordinate
from wushe_volunteers.domain.volunteer import Volunteer, active, served

# A sign-up still open a day after its activity ended, no attendance recorded for it while
# its coordinators recorded others' (`store.ATTENDANCE_TAKEN`): a no-show (爽约). Counted over
# the last 90 days where the office limits them (`WUSHE_NO_SHOW_LIMIT`).
NO_SHOW_AFTER = timedelta(days=1)
NO_SHOW_WINDOW = timedelta(days=90)


def within_no_show_limit(
    volunteer_id: UUID, no_shows: Sequence[datetime], limit: int, now: datetime
) -> None:
    """`no_shows`: when each activity the volunteer missed in the last 90 days ended. With
    `limit` of them or more (0: the office sets none), they sign up for nothing more until
    enough of those are older than 90 days."""
    if not limit or len(no_shows) < limit:
        return
    ended = sorted(no_shows)
    free_from = ended[len(ended) - limit] + NO_SHOW_WINDOW
    raise RuleBroken(
        "too_many_no_shows",
        f"volunteer {volunteer_id} missed {len(ended)} activities they signed up for in the "
        f"last {NO_SHOW_WINDOW.days} days (the office allows fewer than {limit}): they may sign "
        f"up again from {free_from:%Y-%m-%d %H:%M} UTC, or once their coordinators record the "
        "attendance they are missing",
    )


class ActivityState(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


@dataclass(frozen=True)
class Activity:
    activity_id: UUID
    team_id: UUID
    community_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    state: ActivityState = ActivityState.scheduled
    signed_up: frozenset[UUID] = frozenset()
    attended: frozenset[UUID] = frozenset()

    @property
    def full(self) -> bool:
        return len(self.signed_up) >= self.capacity

    @property
    def length(self) -> float:
        """In hours: the most service anyone gives in it."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600


def schedule(
    activity_id: UUID,
    team: Team | None,
    team_id: UUID,
    site: Site | None,
    site_id: UUID | None,
    community_id: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    need_categories: list[str],
    caller: Caller,
    now: datetime,
    *,
    need_ids: Sequence[UUID] = (),
) -> list[Event]:
    if team is None:
        raise InvalidReference("team_id", f"no team {team_id} is registered")
    may_coordinate(team, caller)
    if site_id is not None and (site is None or site.community_id != community_id):
        raise InvalidReference(
            "site_id", f"no site {site_id} in community {community_id}", code="site_elsewhere"
        )
    if ends_at <= starts_at:
        raise InvalidReference(
            "ends_at", "an activity ends after it starts", code="ends_before_start"
        )
    if starts_at <= now:
        # By the server's clock, which a client's (a page's) may differ from: said with it.
        server_now = now.astimezone(UTC)
        raise InvalidReference(
            "starts_at",
            f"an activity is scheduled in the future: it is {server_now:%Y-%m-%dT%H:%M:%SZ} now",
            code="starts_in_past",
        )
    return [
        ActivityScheduled(
            activity_id=activity_id,
            team_id=team_id,
            community_id=community_id,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            site_id=site_id,
            need_categories=sorted(set(need_categories)),
            need_ids=list(dict.fromkeys(need_ids)),
        )
    ]


def _open(activity: Activity | None, activity_id: UUID) -> Activity:
    if activity is None:
        raise NotFound("activity", activity_id)
    if activity.state is ActivityState.cancelled:
        raise RuleBroken("activity_cancelled", f"activity {activity_id} was cancelled")
    return activity


def sign_up(
    activity: Activity | None,
    activity_id: UUID,
    volunteer: Volunteer | None,
    volunteer_id: UUID,
    overlapping: list[UUID],
    now: datetime,
) -> list[Event]:
    """Take a place; `overlapping` are the volunteer's other activities at the same time."""
    activity = _open(activity, activity_id)
    active(volunteer, volunteer_id)
    if now >= activity.starts_at:
        raise RuleBroken("activity_started", f"activity {activity_id} has started")
    if volunteer_id in activity.signed_up:
        raise RuleBroken("already_signed_up", f"volunteer {volunteer_id} is already signed up")
    if activity.full:
        raise RuleBroken(
            "activity_full", f"activity {activity_id}'s {activity.capacity} places are taken"
        )
    if overlapping:
        raise RuleBroken(
            "overlapping_signup",
            f"volunteer {volunteer_id} is signed up for activity {overlapping[0]} at the same time",
            {"overlapping_activity_id": str(overlapping[0])},
        )
    return [
        SignupAccepted(
            activity_id=activity_id, volunteer_id=volunteer_id, community_id=activity.community_id
        )
    ]


def withdraw_signup(
    activity: Activity | None, activity_id: UUID, volunteer_id: UUID, now: datetime
) -> list[Event]:
    activity = _open(activity, activity_id)
    if volunteer_id not in activity.signed_up:
        raise RuleBroken("not_signed_up", f"volunteer {volunteer_id} is not signed up")
    if now >= activity.starts_at:
        raise RuleBroken("activity_started", f"activity {activity_id} has started")
    return [
        SignupWithdrawn(
            activity_id=activity_id, volunteer_id=volunteer_id, community_id=activity.community_id
        )
    ]


def release(
    activity: Activity | None, activity_id: UUID, volunteer_id: UUID, now: datetime
) -> list[Event]:
    """The place of a volunteer who withdrew, given back if the activity is still to come."""
    if (
        activity is None
        or activity.state is ActivityState.cancelled
        or volunteer_id not in activity.signed_up
        or now >= activity.starts_at
    ):
        return []
    return withdraw_signup(activity, activity_id, volunteer_id, now)


def _organised_by(organiser: Team | None, caller: Caller) -> None:
    """The activity's team runs it: its coordinators (or an admin) cancel it, record
    attendance."""
    if organiser is None:
        raise RuleBroken("not_team_coordinator", "the activity's team is not registered")
    may_coordinate(organiser, caller)


def organised(
    activity: Activity | None, activity_id: UUID, organiser: Team | None, caller: Caller
) -> Activity:
    """The activity, whose sign-ups are for its organisers (or an admin) to see."""
    if activity is None:
        raise NotFound("activity", activity_id)
    _organised_by(organiser, caller)
    return activity


def cancel(
    activity: Activity | None,
    activity_id: UUID,
    organiser: Team | None,
    caller: Caller,
    reason: str | None,
    now: datetime,
) -> list[Event]:
    activity = _open(activity, activity_id)
    _organised_by(organiser, caller)
    if now >= activity.ends_at:
        raise RuleBroken("activity_over", f"activity {activity_id} is over")
    if activity.attended:
        # Its hours are on record: a cancelled activity must not leave verifiable service.
        raise RuleBroken(
            "activity_has_attendance",
            f"activity {activity_id} has attendance recorded: decline its hours instead",
        )
    return [
        ActivityCancelled(
            activity_id=activity_id, community_id=activity.community_id, reason=reason
        )
    ]


def service_hours(activity: Activity, checked_in_at: datetime, checked_out_at: datetime) -> float:
    """Check-out minus check-in, within the activity's time, in hours to the minute."""
    start = max(checked_in_at, activity.starts_at)
    end = min(checked_out_at, activity.ends_at)
    minutes = max(0, int((end - start).total_seconds() // 60))
    return round(minutes / 60, 2)


@dataclass(frozen=True)
class Attendance:
    activity: list[Event]  # to the activity's stream
    hours: list[Event]  # to a new hours record's stream (pending)


def record_attendance(
    activity: Activity | None,
    activity_id: UUID,
    organiser: Team | None,
    caller: Caller,
    volunteer: Volunteer | None,
    volunteer_id: UUID,
    checked_in_at: datetime,
    checked_out_at: datetime,
    elsewhere: list[UUID],
    record_id: UUID,
    now: datetime,
) -> Attendance:
    """Check-in and check-out as recorded live, for a volunteer who signed up; `elsewhere`
    are the other activities where the volunteer's recorded attendance overlaps these times
    (nobody serves in two places at once, nor earns hours twice for one hour), as for an
    attendance entered after the fact."""
    activity = _open(activity, activity_id)
    _organised_by(organiser, caller)
    if volunteer_id not in activity.signed_up:
        raise RuleBroken("not_signed_up", f"volunteer {volunteer_id} did not sign up")
    served(volunteer, volunteer_id, checked_in_at)  # not after a suspension or withdrawal
    if volunteer_id in activity.attended:
        raise RuleBroken(
            "attendance_recorded",
            f"volunteer {volunteer_id}'s attendance is already recorded; correct the hours instead",
        )
    hours = attended_times(activity, checked_in_at, checked_out_at, now)
    if elsewhere:
        raise RuleBroken(
            "overlapping_attendance",
            f"volunteer {volunteer_id} was checked in at activity {elsewhere[0]} at these times",
        )
    return _attended(activity, volunteer_id, checked_in_at, checked_out_at, record_id, hours)


def attended_times(
    activity: Activity, checked_in_at: datetime, checked_out_at: datetime, now: datetime
) -> float:
    """The hours served between check-in and check-out, recorded live or entered after the
    fact alike: the times are taken as written, so they fall within the activity, and it
    happened already. Each refusal has its code, which a page words with the activity's own
    times (in the office's time; the message's are UTC, for a developer)."""
    if checked_in_at < activity.starts_at:
        raise InvalidReference(
            "checked_in_at",
            f"before the activity starts ({activity.starts_at.isoformat()})",
            code="before_activity_start",
        )
    if checked_out_at > activity.ends_at:
        raise InvalidReference(
            "checked_out_at",
            f"after the activity ends ({activity.ends_at.isoformat()})",
            code="after_activity_end",
        )
    if checked_out_at <= checked_in_at:
        raise InvalidReference(
            "checked_out_at", "check-out comes after check-in", code="check_out_before_check_in"
        )
    if checked_out_at > now:
        raise InvalidReference(
            "checked_out_at", "attendance is recorded after it happened", code="not_happened_yet"
        )
    hours = service_hours(activity, checked_in_at, checked_out_at)
    if hours <= 0:
        raise InvalidReference(
            "checked_out_at", "less than a minute of service", code="under_a_minute"
        )
    return hours


def enter_attendance(
    activity: Activity | None,
    activity_id: UUID,
    organiser: Team | None,
    caller: Caller,
    volunteer: Volunteer | None,
    volunteer_id: UUID,
    checked_in_at: datetime,
    checked_out_at: datetime,
    over_capacity_reason: str | None,
    elsewhere: list[UUID],
    record_id: UUID,
    now: datetime,
) -> Attendance:
    """Attendance entered after the fact (补录), from a paper sign-in sheet say, by the
    organising team: check-in and check-out as written, within the activity's times, for a
    volunteer who signed up or walked in. A walk-in takes a place, within capacity unless the
    organiser gives `over_capacity_reason`; `elsewhere` are activities where the volunteer's
    attendance overlaps these times (nobody serves in two places at once)."""
    activity = _open(activity, activity_id)
    _organised_by(organiser, caller)
    hours = attended_times(activity, checked_in_at, checked_out_at, now)
    served(volunteer, volunteer_id, checked_in_at)  # not after a suspension or withdrawal
    if volunteer_id in activity.attended:
        raise RuleBroken(
            "attendance_recorded",
            f"volunteer {volunteer_id}'s attendance is already recorded; correct the hours instead",
        )
    if elsewhere:
        raise RuleBroken(
            "overlapping_attendance",
            f"volunteer {volunteer_id} attended activity {elsewhere[0]} at these times",
        )
    place: list[Event] = []
    if volunteer_id not in activity.signed_up:
        if activity.full and over_capacity_reason is None:
            raise RuleBroken(
                "activity_full",
                f"activity {activity_id}'s {activity.capacity} places are taken: give "
                "over_capacity_reason (a code, e.g. walk-in) to enter a walk-in beyond them",
            )
        place.append(
            SignupAccepted(
                activity_id=activity_id,
                volunteer_id=volunteer_id,
                community_id=activity.community_id,
                walk_in=True,
                over_capacity_reason=over_capacity_reason if activity.full else None,
            )
        )
    return _attended(
        activity,
        volunteer_id,
        checked_in_at,
        checked_out_at,
        record_id,
        hours,
        place=place,
        after_the_fact=True,
    )


def _attended(
    activity: Activity,
    volunteer_id: UUID,
    checked_in_at: datetime,
    checked_out_at: datetime,
    record_id: UUID,
    hours: float,
    *,
    place: Sequence[Event] = (),
    after_the_fact: bool = False,
) -> Attendance:
    """The attendance and its pending hours; `place`, a walk-in's sign-up, comes first;
    `after_the_fact`: entered later, from a paper sheet (补录)."""
    return Attendance(
        [
            *place,
            AttendanceRecorded(
                activity_id=activity.activity_id,
                volunteer_id=volunteer_id,
                community_id=activity.community_id,
                checked_in_at=checked_in_at,
                checked_out_at=checked_out_at,
                record_id=record_id,
                after_the_fact=after_the_fact,
            ),
        ],
        [
            HoursRecorded(
                record_id=record_id,
                volunteer_id=volunteer_id,
                hours=hours,
                source=HoursSource.activity,
                source_id=activity.activity_id,
                team_id=activity.team_id,
            )
        ],
    )


def evolve(state: Activity | None, event: Event) -> Activity:
    match event:
        case ActivityScheduled():
            return Activity(
                event.activity_id,
                event.team_id,
                event.community_id,
                event.title,
                event.starts_at,
                event.ends_at,
                event.capacity,
            )
    if state is None:
        raise TypeError(f"{event.type} does not apply before an activity is scheduled")
    match event:
        case SignupAccepted():
            return replace(state, signed_up=state.signed_up | {event.volunteer_id})
        case SignupWithdrawn():
            return replace(state, signed_up=state.signed_up - {event.volunteer_id})
        case AttendanceRecorded():
            return replace(state, attended=state.attended | {event.volunteer_id})
        case ActivityCancelled():
            return replace(state, state=ActivityState.cancelled)
    raise TypeError(f"{event.type} does not apply to an activity")

"""A volunteer (志愿者): registered, suspended, reactivated, withdrawn; personal data erased."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    Certification,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
    VolunteerSuspended,
    VolunteerWithdrawn,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken


class VolunteerStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    withdrawn = "withdrawn"


@dataclass(frozen=True)
class Volunteer:
    volunteer_id: UUID
    community_id: str
    skills: tuple[str, ...]
    certification: Certification
    display_name: str | None
    status: VolunteerStatus = VolunteerStatus.active
    erased: bool = False
    inactive_since: datetime | None = None  # when suspended or withdrawn (see evolve_timed)
    application_id: UUID | None = None  # the application they signed up with, if any


def one_per_phone(same_phone: list[Volunteer]) -> None:
    """A phone number is one serving volunteer (active or suspended: a suspension is not
    escaped by registering again); a withdrawn or erased volunteer's may serve anew."""
    serving = [v for v in same_phone if v.status is not VolunteerStatus.withdrawn]
    if serving:
        raise RuleBroken(
            "volunteer_exists",
            f"phone: a volunteer with this phone number is already registered: "
            f"{serving[0].volunteer_id} ({serving[0].status})",
        )


def register(
    volunteer_id: UUID,
    community_id: str,
    skills: list[str],
    certification: Certification,
    display_name: str | None,
    show_name_publicly: bool,
    application_id: UUID | None = None,
) -> list[Event]:
    return [
        VolunteerRegistered(
            volunteer_id=volunteer_id,
            community_id=community_id,
            skills=sorted(set(skills)),
            certification=certification,
            # The public name goes on the bus only with the volunteer's consent.
            display_name=display_name if show_name_publicly else None,
            application_id=application_id,
        )
    ]


def _found(volunteer: Volunteer | None, volunteer_id: UUID) -> Volunteer:
    if volunteer is None:
        raise NotFound("volunteer", volunteer_id)
    return volunteer


def suspend(volunteer: Volunteer | None, volunteer_id: UUID) -> list[Event]:
    volunteer = _found(volunteer, volunteer_id)
    if volunteer.status is not VolunteerStatus.active:
        raise RuleBroken("volunteer_not_active", f"volunteer {volunteer_id} is {volunteer.status}")
    return [VolunteerSuspended(volunteer_id=volunteer_id, community_id=volunteer.community_id)]


def reactivate(volunteer: Volunteer | None, volunteer_id: UUID) -> list[Event]:
    volunteer = _found(volunteer, volunteer_id)
    if volunteer.status is not VolunteerStatus.suspended:
        raise RuleBroken(
            "volunteer_not_suspended",
            f"volunteer {volunteer_id} is {volunteer.status}, not suspended",
        )
    return [VolunteerReactivated(volunteer_id=volunteer_id, community_id=volunteer.community_id)]


def withdraw(volunteer: Volunteer | None, volunteer_id: UUID) -> list[Event]:
    volunteer = _found(volunteer, volunteer_id)
    if volunteer.status is VolunteerStatus.withdrawn:
        raise RuleBroken("volunteer_withdrawn", f"volunteer {volunteer_id} has withdrawn")
    return [VolunteerWithdrawn(volunteer_id=volunteer_id, community_id=volunteer.community_id)]


def erase(volunteer: Volunteer | None, volunteer_id: UUID) -> list[Event]:
    """Erasure ends the volunteer's service: an active or suspended volunteer is withdrawn."""
    volunteer = _found(volunteer, volunteer_id)
    if volunteer.erased:
        raise RuleBroken("volunteer_erased", f"volunteer {volunteer_id}'s personal data was erased")
    events: list[Event] = []
    if volunteer.status is not VolunteerStatus.withdrawn:
        events += withdraw(volunteer, volunteer_id)
    return [
        *events,
        VolunteerErased(volunteer_id=volunteer_id, community_id=volunteer.community_id),
    ]


def active(
    volunteer: Volunteer | None, volunteer_id: UUID, field: str = "volunteer_id"
) -> Volunteer:
    """The volunteer, who must be registered and active to take part."""
    if volunteer is None:
        raise InvalidReference(field, f"no volunteer {volunteer_id} is registered")
    if volunteer.status is not VolunteerStatus.active:
        raise RuleBroken("volunteer_not_active", f"volunteer {volunteer_id} is {volunteer.status}")
    return volunteer


def served(volunteer: Volunteer | None, volunteer_id: UUID, at: datetime) -> Volunteer:
    """The volunteer, who must have been active at `at` for service then to count: a volunteer
    suspended or withdrawn since keeps the hours they served before (a suspension is no
    sanction of past service), and earns none after."""
    if volunteer is None:
        raise InvalidReference("volunteer_id", f"no volunteer {volunteer_id} is registered")
    if volunteer.status is VolunteerStatus.active:
        return volunteer
    since = volunteer.inactive_since
    if since is not None and at < since:
        return volunteer
    when = f" since {since.isoformat()}" if since else ""
    raise RuleBroken(
        "volunteer_not_active",
        f"volunteer {volunteer_id} is {volunteer.status}{when}: no service after that counts",
    )


def evolve_timed(state: Volunteer | None, event: Event, at: datetime) -> Volunteer:
    """`evolve`, noting when the volunteer stopped being active (the first suspension or the
    withdrawal that ended it; cleared by a reactivation)."""
    volunteer = evolve(state, event)
    match event:
        case VolunteerSuspended() | VolunteerWithdrawn() if volunteer.inactive_since is None:
            return replace(volunteer, inactive_since=at)
        case VolunteerReactivated():
            return replace(volunteer, inactive_since=None)
    return volunteer


def evolve(state: Volunteer | None, event: Event) -> Volunteer:
    match event:
        case VolunteerRegistered():
            return Volunteer(
                event.volunteer_id,
                event.community_id,
                tuple(event.skills),
                event.certification,
                event.display_name,
                application_id=event.application_id,
            )
    if state is None:
        raise TypeError(f"{event.type} does not apply before a volunteer registers")
    match event:
        case VolunteerSuspended():
            return replace(state, status=VolunteerStatus.suspended)
        case VolunteerReactivated():
            return replace(state, status=VolunteerStatus.active)
        case VolunteerWithdrawn():
            return replace(state, status=VolunteerStatus.withdrawn)
        case VolunteerErased():
            return replace(state, erased=True, display_name=None)
    raise TypeError(f"{event.type} does not apply to a volunteer")

"""An application to become a volunteer (志愿者报名): submitted by the person themself on the
public /join page, then accepted (the volunteer is registered) or declined by a coordinator —
exactly one decision — or, left undecided past the office's retention, expired by the service."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    ApplicationAccepted,
    ApplicationDeclined,
    ApplicationExpired,
    ApplicationSubmitted,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken

# Below this age a child's personal data is sensitive and needs their guardian's consent
# (PIPL art. 28, 31): they are registered at the desk, with their guardian, not on a phone.
YOUNGEST = 14
# Of age (民法典 art. 17); younger volunteers serve with their guardian's consent, in service
# suited to their age (志愿服务条例).
OF_AGE = 18


class ApplicationState(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"


@dataclass(frozen=True)
class Application:
    application_id: UUID
    community_id: str
    skills: tuple[str, ...]
    state: ApplicationState = ApplicationState.pending
    volunteer_id: UUID | None = None
    submitted_at: datetime | None = None  # folded by `evolve_timed` only


def full_years(born: date, today: date) -> int:
    """The years certainly completed by someone born in `born`'s month (the day is not asked):
    in their birth month they are taken not to have had their birthday yet."""
    return today.year - born.year - (today.month <= born.month)


def old_enough(born: date, today: date, guardian_consents: bool) -> None:
    """A 422 naming the field when the applicant is too young to apply themself, or a minor
    whose guardian's consent is not given."""
    if born > today:
        raise InvalidReference("birth_month", "the birth month is in the future", "future_birth")
    years = full_years(born, today)
    if years < YOUNGEST:
        raise InvalidReference(
            "birth_month",
            f"applicants under {YOUNGEST} are registered at the office with their guardian",
            "too_young",
        )
    if years < OF_AGE and not guardian_consents:
        raise InvalidReference(
            "guardian_consent",
            f"an applicant under {OF_AGE} needs their guardian's consent",
            "guardian_consent_required",
        )


def submit(application_id: UUID, community_id: str, skills: list[str]) -> list[Event]:
    return [
        ApplicationSubmitted(
            application_id=application_id,
            community_id=community_id,
            skills=sorted(set(skills)),
        )
    ]


def pending(application: Application | None, application_id: UUID) -> Application:
    """The application, which must still await its decision."""
    if application is None:
        raise NotFound("application", application_id)
    if application.state is not ApplicationState.pending:
        raise RuleBroken(
            "application_decided",
            f"application {application_id} was {application.state} already",
            {"state": application.state.value},
        )
    return application


def accept(
    application: Application | None,
    application_id: UUID,
    volunteer_id: UUID,
    decided_by: UUID | None,
) -> list[Event]:
    found = pending(application, application_id)
    return [
        ApplicationAccepted(
            application_id=application_id,
            community_id=found.community_id,
            volunteer_id=volunteer_id,
            decided_by=decided_by,
        )
    ]


def decline(
    application: Application | None,
    application_id: UUID,
    reason: str,
    decided_by: UUID | None,
) -> list[Event]:
    found = pending(application, application_id)
    return [
        ApplicationDeclined(
            application_id=application_id,
            community_id=found.community_id,
            reason=reason,
            decided_by=decided_by,
        )
    ]


def expire(
    application: Application | None, application_id: UUID, now: datetime, retention_days: int
) -> list[Event]:
    """Close an application nobody decided within `retention_days` of its submission (its
    state folded by `evolve_timed`, which knows when it was submitted)."""
    found = pending(application, application_id)
    if found.submitted_at is None or now - found.submitted_at < timedelta(days=retention_days):
        raise RuleBroken(
            "application_not_due",
            f"application {application_id} is kept {retention_days} days after its submission",
        )
    return [
        ApplicationExpired(
            application_id=application_id,
            community_id=found.community_id,
            retention_days=retention_days,
        )
    ]


def evolve_timed(state: Application | None, event: Event, at: datetime) -> Application:
    """`evolve`, noting when the application was submitted."""
    folded = evolve(state, event)
    if isinstance(event, ApplicationSubmitted):
        return replace(folded, submitted_at=at)
    return folded


def evolve(state: Application | None, event: Event) -> Application:
    match event:
        case ApplicationSubmitted():
            return Application(event.application_id, event.community_id, tuple(event.skills))
    if state is None:
        raise TypeError(f"{event.type} does not apply before an application is submitted")
    match event:
        case ApplicationAccepted():
            return replace(state, state=ApplicationState.accepted, volunteer_id=event.volunteer_id)
        case ApplicationDeclined():
            return replace(state, state=ApplicationState.declined)
        case ApplicationExpired():
            return replace(state, state=ApplicationState.expired)
    raise TypeError(f"{event.type} does not apply to an application")

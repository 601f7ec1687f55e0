"""Needs surveys (需求调研): the four-dimension assessment, needs found, spot checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    Dimension,
    Dimensions,
    IdentifiedNeed,
    NeedIdentified,
    SurveyMethod,
    SurveyRecorded,
    SurveyVerified,
)
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_needs.domain.resident import (
    Birth,
    Resident,
    may_be_served,
    may_keep_notes,
    not_merged,
)

# A spot check that finds a level this far from the surveyed one flags a discrepancy.
DISCREPANCY = 2
# How far ahead of the service's clock a survey may be dated: a tablet's clock runs fast, no
# visit happens in the future (and the latest survey is the resident's assessment).
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Verification:
    spot_check_id: UUID
    discrepancy: bool
    differing: tuple[Dimension, ...]


@dataclass(frozen=True)
class Survey:
    survey_id: UUID
    resident_id: UUID
    community_id: str
    method: SurveyMethod
    surveyed_at: datetime
    dimensions: Dimensions
    needs: tuple[IdentifiedNeed, ...]
    surveyor_id: str | None
    verifies_survey_id: UUID | None = None
    verifications: tuple[Verification, ...] = ()
    has_notes: bool = False


@dataclass(frozen=True)
class Recorded:
    """What recording a survey appends, by stream."""

    survey: list[Event]
    verified: list[Event]  # to the verified survey's stream (spot checks)
    needs: list[Event]  # one per need, each to its own stream


def differing(surveyed: Dimensions, checked: Dimensions) -> list[Dimension]:
    return [
        d
        for d in Dimension
        if abs(getattr(surveyed, d.value) - getattr(checked, d.value)) >= DISCREPANCY
    ]


class NeedLike(Protocol):
    @property
    def category(self) -> str: ...
    @property
    def dimension(self) -> Dimension: ...


def each_need_once(needs: Sequence[NeedLike]) -> None:
    """A survey lists a need (its category and dimension) once: twice is a slip of the form,
    and would put the need on the list twice."""
    first: dict[tuple[str, Dimension], int] = {}
    for i, n in enumerate(needs):
        j = first.setdefault((n.category, n.dimension), i)
        if j != i:
            raise InvalidReference(
                f"needs.{i}",
                f"the same need as needs.{j} ({n.category}, {n.dimension.value}): a survey "
                "lists each need once (the urgency and notes of both go in one)",
                code="need_repeated",
            )


def record(
    resident: Resident | None,
    resident_id: UUID,
    survey_id: UUID,
    method: SurveyMethod,
    surveyed_at: datetime,
    dimensions: Dimensions,
    needs: list[IdentifiedNeed],
    surveyor_id: str | None,
    verified: Survey | None = None,
    verifies_survey_id: UUID | None = None,
    *,
    now: datetime,
    born: Birth | None = None,
    noted: frozenset[UUID] = frozenset(),
) -> Recorded:
    """`born`: when the resident was born, as far as the sealed personal data says; `noted`:
    the survey and the needs (by id) that come with notes, sealed beside them. A need
    `already_open` is listed in the survey as found again, and not identified a second time."""
    each_need_once(needs)
    if surveyed_at > now + CLOCK_SKEW:
        raise InvalidReference("surveyed_at", "surveyed_at is in the future", code="in_the_future")
    if resident is None:
        raise InvalidReference("resident_id", f"no resident {resident_id} is registered")
    not_merged(resident)
    if born is not None and born.after(surveyed_at):
        raise InvalidReference(  # the birth date is personal data: the message never gives it
            "surveyed_at",
            "surveyed_at is before the resident was born (the birth date of their ID number, "
            "else their birth_year): a survey is never dated before the birth",
            code="before_birth",
        )
    if noted:
        may_keep_notes(resident)
    if resident.erased:
        raise RuleBroken("resident_erased", f"resident {resident_id}'s data was erased")
    may_be_served(resident)
    verification: list[Event] = []
    if method == SurveyMethod.spot_check:
        verification = [
            _verify(
                resident,
                survey_id,
                surveyed_at,
                dimensions,
                needs,
                verified,
                verifies_survey_id,
                surveyor_id,
            )
        ]
    elif verifies_survey_id is not None:
        raise InvalidReference(
            "verifies_survey_id", "only a spot check verifies a survey", code="not_a_spot_check"
        )
    survey = SurveyRecorded(
        survey_id=survey_id,
        resident_id=resident_id,
        community_id=resident.community_id,
        method=method,
        surveyed_at=surveyed_at,
        dimensions=dimensions,
        needs=needs,
        surveyor_id=surveyor_id,
        verifies_survey_id=verifies_survey_id,
        has_notes=survey_id in noted,
    )
    identified: list[Event] = [
        NeedIdentified(
            need_id=n.need_id,
            community_id=resident.community_id,
            resident_id=resident_id,
            survey_id=survey_id,
            category=n.category,
            dimension=n.dimension,
            urgency=n.urgency,
            identified_at=surveyed_at,
            has_notes=n.need_id in noted,
        )
        for n in needs
        if not n.already_open
    ]
    return Recorded([survey], verification, identified)


def _verify(
    resident: Resident,
    spot_check_id: UUID,
    checked_at: datetime,
    dimensions: Dimensions,
    needs: list[IdentifiedNeed],
    verified: Survey | None,
    verifies_survey_id: UUID | None,
    checker_id: str | None,
) -> Event:
    if verifies_survey_id is None:
        raise InvalidReference(
            "verifies_survey_id", "a spot check names the survey it verifies", code="missing"
        )
    if verified is None:
        raise InvalidReference(
            "verifies_survey_id", f"no survey {verifies_survey_id}", code="no_such_survey"
        )
    if verified.resident_id != resident.resident_id:
        raise RuleBroken(
            "spot_check_other_resident", "a spot check verifies a survey of the same resident"
        )
    if verified.method == SurveyMethod.spot_check:
        raise RuleBroken(
            "spot_check_of_spot_check", "a spot check verifies a survey, not another spot check"
        )
    # A check by whoever did the survey verifies nothing. A survey recorded under no one's
    # name (an admin's token) cannot be compared, and is not refused for it.
    if checker_id is not None and checker_id == verified.surveyor_id:
        raise RuleBroken(
            "spot_check_by_own_surveyor",
            "a spot check is made by someone other than the surveyor of the survey it "
            "verifies: checking one's own survey verifies nothing",
        )
    if checked_at < verified.surveyed_at:
        raise RuleBroken(
            "spot_check_before_survey",
            f"a spot check verifies what was found: it is dated after the survey "
            f"({verified.surveyed_at:%Y-%m-%d %H:%M} UTC)",
        )
    if needs:
        raise InvalidReference(
            "needs",
            "a spot check verifies; it identifies no needs",
            code="spot_check_finds_no_needs",
        )
    different = differing(verified.dimensions, dimensions)
    return SurveyVerified(
        survey_id=verified.survey_id,
        spot_check_id=spot_check_id,
        community_id=verified.community_id,
        discrepancy=bool(different),
        differing=different,
    )


def evolve(state: Survey | None, event: Event) -> Survey:
    match event:
        case SurveyRecorded():
            return Survey(
                event.survey_id,
                event.resident_id,
                event.community_id,
                event.method,
                event.surveyed_at,
                event.dimensions,
                tuple(event.needs),
                event.surveyor_id,
                event.verifies_survey_id,
                has_notes=event.has_notes,
            )
        case SurveyVerified() if state is not None:
            check = Verification(event.spot_check_id, event.discrepancy, tuple(event.differing))
            return replace(state, verifications=(*state.verifications, check))
    raise TypeError(f"{event.type} does not apply to a survey")

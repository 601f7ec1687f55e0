"""The needs aggregates: communities, residents and surveys. Pure: decisions and folds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    AgeBand,
    CommunityRegistered,
    Dimensions,
    IdentifiedNeed,
    ResidentErased,
    ResidentRegistered,
    SurveyMethod,
    SurveyRecorded,
    TargetGroup,
)
from wushe_events.errors import InvalidReference, RuleBroken


@dataclass(frozen=True)
class Community:
    community_id: str
    name: str
    street: str


@dataclass(frozen=True)
class Resident:
    resident_id: UUID
    community_id: str
    groups: tuple[TargetGroup, ...]
    age_band: AgeBand
    erased: bool = False


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


def age_band(birth_year: int, this_year: int) -> AgeBand:
    age = this_year - birth_year
    if age < 14:
        return AgeBand.under_14
    if age < 18:
        return AgeBand.age_14_17
    if age < 60:
        return AgeBand.age_18_59
    if age < 70:
        return AgeBand.age_60_69
    if age < 80:
        return AgeBand.age_70_79
    return AgeBand.age_80_plus


def register_community(
    existing: Community | None,
    community_id: str,
    name: str,
    street: str,
) -> list[Event]:
    if existing is not None:
        raise RuleBroken("community_exists", f"community {community_id} is already registered")
    return [CommunityRegistered(community_id=community_id, name=name, street=street)]


def register_resident(
    community: Community | None,
    resident_id: UUID,
    community_id: str,
    groups: list[TargetGroup],
    birth_year: int,
    this_year: int,
) -> list[Event]:
    if community is None:
        raise InvalidReference("community_id", f"no community {community_id} is registered")
    if birth_year > this_year:
        raise InvalidReference("birth_year", "birth_year is in the future")
    return [
        ResidentRegistered(
            resident_id=resident_id,
            community_id=community_id,
            groups=sorted(set(groups)),
            age_band=age_band(birth_year, this_year),
        )
    ]


def record_survey(
    resident: Resident | None,
    resident_id: UUID,
    survey_id: UUID,
    method: SurveyMethod,
    surveyed_at: datetime,
    dimensions: Dimensions,
    needs: list[IdentifiedNeed],
    surveyor_id: str | None,
) -> list[Event]:
    if resident is None:
        raise InvalidReference("resident_id", f"no resident {resident_id} is registered")
    return [
        SurveyRecorded(
            survey_id=survey_id,
            resident_id=resident.resident_id,
            community_id=resident.community_id,
            method=method,
            surveyed_at=surveyed_at,
            dimensions=dimensions,
            needs=needs,
            surveyor_id=surveyor_id,
        )
    ]


def evolve_community(state: Community | None, event: Event) -> Community:
    match event:
        case CommunityRegistered():
            return Community(event.community_id, event.name, event.street)
    raise TypeError(f"{event.type} does not apply to a community")


def evolve_resident(state: Resident | None, event: Event) -> Resident:
    match event:
        case ResidentRegistered():
            return Resident(
                event.resident_id, event.community_id, tuple(event.groups), event.age_band
            )
        case ResidentErased() if state is not None:
            return Resident(
                state.resident_id, state.community_id, state.groups, state.age_band, erased=True
            )
    raise TypeError(f"{event.type} does not apply to a resident")


def evolve_survey(state: Survey | None, event: Event) -> Survey:
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
            )
    raise TypeError(f"{event.type} does not apply to a survey")

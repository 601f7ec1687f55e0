"""Command handlers of the needs service: load, decide, append — one transaction each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wushe_events.aggregate import load
from wushe_events.catalogue.base import Name, Slug, UtcDatetime
from wushe_events.catalogue.needs import (
    Dimension,
    Dimensions,
    IdentifiedNeed,
    SurveyMethod,
    TargetGroup,
    Urgency,
)
from wushe_events.errors import NotFound
from wushe_events.store import EventStore
from wushe_needs import domain
from wushe_service.identity import IdNumber, MobileNumber, birth_date
from wushe_service.personal_data import Vault


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegisterCommunity(Command):
    community_id: Slug | None = Field(None, description="a readable slug; a UUID if omitted")
    name: Name
    street: Name = Field(description="the street or town (街道/镇) it belongs to")


class RegisterResident(Command):
    community_id: Slug
    groups: list[TargetGroup] = Field(min_length=1)
    birth_year: int = Field(ge=1900, le=2100)
    name: Name = Field(max_length=50)
    id_number: IdNumber | None = None
    phone: MobileNumber | None = None
    address: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _birth_year_matches_id_number(self) -> RegisterResident:
        if self.id_number and birth_date(self.id_number).year != self.birth_year:
            raise ValueError("birth_year differs from the birth date in id_number")
        return self

    def personal_data(self) -> dict[str, Any]:
        return self.model_dump(
            include={"name", "id_number", "phone", "address", "notes"}, exclude_none=True
        )


class NeedRequest(Command):
    category: Slug
    dimension: Dimension
    urgency: Urgency = Urgency.normal


class Assessment(Dimensions):
    """The four-dimension assessment as a request: an unknown dimension is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordSurvey(Command):
    resident_id: UUID
    method: SurveyMethod
    surveyed_at: UtcDatetime | None = Field(None, description="default: now")
    dimensions: Assessment
    needs: list[NeedRequest] = Field(default_factory=list, max_length=50)


async def register_community(store: EventStore, command: RegisterCommunity) -> str:
    community_id = command.community_id or str(uuid4())
    async with store.transaction() as tx:
        loaded = await load(tx, "community", community_id, domain.evolve_community)
        events = domain.register_community(loaded.state, community_id, command.name, command.street)
        await tx.append(loaded.version, events)
    return community_id


async def register_resident(
    store: EventStore,
    vault: Vault,
    command: RegisterResident,
    now: datetime,
) -> UUID:
    resident_id = uuid4()
    async with store.transaction() as tx:
        community = await load(tx, "community", command.community_id, domain.evolve_community)
        events = domain.register_resident(
            community.state,
            resident_id,
            command.community_id,
            command.groups,
            command.birth_year,
            now.year,
        )
        await tx.append(0, events, now=now)
        await vault.save(tx.raw, resident_id, command.personal_data())
    return resident_id


async def record_survey(
    store: EventStore,
    command: RecordSurvey,
    surveyor_id: str,
    now: datetime,
) -> tuple[UUID, list[UUID]]:
    survey_id = uuid4()
    needs = [IdentifiedNeed(need_id=uuid4(), **need.model_dump()) for need in command.needs]
    async with store.transaction() as tx:
        resident = await load(tx, "resident", str(command.resident_id), domain.evolve_resident)
        events = domain.record_survey(
            resident.state,
            command.resident_id,
            survey_id,
            command.method,
            command.surveyed_at or now,
            command.dimensions,
            needs,
            surveyor_id,
        )
        await tx.append(0, events, now=now)
    return survey_id, [need.need_id for need in needs]


async def get_survey(store: EventStore, survey_id: UUID) -> domain.Survey:
    async with store.transaction() as tx:
        loaded = await load(tx, "survey", str(survey_id), domain.evolve_survey)
    if loaded.state is None:
        raise NotFound("survey", survey_id)
    return loaded.state


async def get_resident(
    store: EventStore,
    vault: Vault,
    resident_id: UUID,
    *,
    with_personal_data: bool,
) -> tuple[domain.Resident, dict[str, Any] | None]:
    async with store.transaction() as tx:
        loaded = await load(tx, "resident", str(resident_id), domain.evolve_resident)
        if loaded.state is None:
            raise NotFound("resident", resident_id)
        personal = await vault.read(tx.raw, resident_id) if with_personal_data else None
    return loaded.state, personal

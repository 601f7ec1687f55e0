"""Command handlers of the volunteers service: load, decide, append — one transaction each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wushe_events.aggregate import load
from wushe_events.catalogue.base import Name, Slug
from wushe_events.catalogue.volunteers import Certification
from wushe_events.errors import NotFound
from wushe_events.store import EventStore
from wushe_service.identity import MobileNumber
from wushe_service.personal_data import Vault
from wushe_volunteers import domain


class RegisterVolunteer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name = Field(max_length=50)
    phone: MobileNumber
    community_id: Slug
    skills: list[Slug] = Field(default_factory=list, max_length=30)
    certification: Certification = Certification.none
    certificate_number: str | None = Field(None, max_length=50)
    display_name: Name | None = Field(None, description="a public name, e.g. 李志愿者")
    show_name_publicly: bool = Field(False, description="consent to publish display_name")

    @model_validator(mode="after")
    def _certified_have_a_certificate(self) -> RegisterVolunteer:
        if self.certification is not Certification.none and not self.certificate_number:
            raise ValueError("certificate_number is required with a certification")
        return self

    def personal_data(self) -> dict[str, Any]:
        return self.model_dump(include={"name", "phone", "certificate_number"}, exclude_none=True)


async def register_volunteer(
    store: EventStore,
    vault: Vault,
    command: RegisterVolunteer,
    now: datetime,
) -> UUID:
    volunteer_id = uuid4()
    events = domain.register_volunteer(
        volunteer_id,
        command.community_id,
        command.skills,
        command.certification,
        command.display_name,
        command.show_name_publicly,
    )
    async with store.transaction() as tx:
        await tx.append(0, events, now=now)
        await vault.save(tx.raw, volunteer_id, command.personal_data())
    return volunteer_id


async def get_volunteer(
    store: EventStore,
    vault: Vault,
    volunteer_id: UUID,
    *,
    with_personal_data: bool,
) -> tuple[domain.Volunteer, dict[str, Any] | None]:
    async with store.transaction() as tx:
        loaded = await load(tx, "volunteer", str(volunteer_id), domain.evolve_volunteer)
        if loaded.state is None:
            raise NotFound("volunteer", volunteer_id)
        personal = await vault.read(tx.raw, volunteer_id) if with_personal_data else None
    return loaded.state, personal

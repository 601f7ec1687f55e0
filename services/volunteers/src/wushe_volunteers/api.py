"""HTTP routes of the volunteers service (DESIGN §5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from wushe_events.catalogue.volunteers import Certification
from wushe_service.api import AnyRole, Role, Store, VaultDep, require
from wushe_volunteers import commands

router = APIRouter()

Coordinator = Annotated[Any, require(Role.coordinator)]
MAY_READ_PERSONAL_DATA = {Role.coordinator, Role.admin}


class VolunteerCreated(BaseModel):
    volunteer_id: UUID


class VolunteerView(BaseModel):
    volunteer_id: UUID
    community_id: str
    skills: list[str]
    certification: Certification
    display_name: str | None
    personal_data: dict[str, Any] | None = None


@router.post(
    "/volunteers",
    status_code=201,
    tags=["volunteers"],
    summary="Register a volunteer; name and phone are sealed, never published",
)
async def register_volunteer(
    body: commands.RegisterVolunteer,
    store: Store,
    vault: VaultDep,
    _who: Coordinator,
) -> VolunteerCreated:
    volunteer_id = await commands.register_volunteer(store, vault, body, datetime.now(UTC))
    return VolunteerCreated(volunteer_id=volunteer_id)


@router.get(
    "/volunteers/{volunteer_id}",
    tags=["volunteers"],
    summary="A volunteer; personal data only for coordinators and admins",
)
async def get_volunteer(
    volunteer_id: UUID,
    store: Store,
    vault: VaultDep,
    who: AnyRole,
) -> VolunteerView:
    volunteer, personal = await commands.get_volunteer(
        store, vault, volunteer_id, with_personal_data=who.role in MAY_READ_PERSONAL_DATA
    )
    return VolunteerView(
        volunteer_id=volunteer.volunteer_id,
        community_id=volunteer.community_id,
        skills=list(volunteer.skills),
        certification=volunteer.certification,
        display_name=volunteer.display_name,
        personal_data=personal,
    )

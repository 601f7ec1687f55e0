"""Volunteers (志愿者): registration, status, pseudonymous reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from wushe_events.catalogue.volunteers import Certification
from wushe_service.api import AnyRole, Db, Principal, Role, Store, VaultDep, acting_as, require
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.personal_data import Vault
from wushe_volunteers import queries
from wushe_volunteers.api import presentation
from wushe_volunteers.commands import people
from wushe_volunteers.domain.volunteer import VolunteerStatus

router = APIRouter(tags=["volunteers"])
Coordinator = Annotated[Principal, require(Role.coordinator)]
Eraser = Annotated[Principal, require(Role.coordinator, Role.volunteer)]
MAY_READ_PERSONAL_DATA = {Role.coordinator, Role.admin}


def may_read_personal_data(who: Principal, volunteer_id: UUID) -> bool:
    """Coordinators and admins read volunteers' personal data; a volunteer reads their own."""
    return who.role in MAY_READ_PERSONAL_DATA or who.person_id == volunteer_id


class VolunteerCreated(BaseModel):
    volunteer_id: UUID
    display_name_kept: bool = Field(
        description="false when no display_name was given, or one was given without "
        "show_name_publicly: the service keeps no public name without consent, anywhere"
    )
    note: str | None = None


class VolunteerView(BaseModel):
    volunteer_id: UUID
    community_id: str
    skills: list[str]
    skill_labels: list[str]  # as people read them: 理发 for haircut
    certification: Certification
    display_name: str | None
    status: str
    personal_data: dict[str, Any] | None = None
    application_id: UUID | None = None  # the application (志愿者报名) they signed up with


@router.post(
    "/volunteers",
    status_code=201,
    summary="Register a volunteer; name and phone are sealed, never published",
    description="display_name is kept and shown only with show_name_publicly; given without "
    "it, it is kept nowhere, and the answer says so: display_name_kept false and a note (as a "
    "donation's donor_name without publish_donor_name).",
)
async def register_volunteer(
    body: people.RegisterVolunteer, store: Store, vault: VaultDep, _who: Coordinator
) -> VolunteerCreated:
    volunteer_id = await people.register_volunteer(store, vault, body, datetime.now(UTC))
    kept = body.display_name is not None and body.show_name_publicly
    dropped = body.display_name is not None and not kept
    return VolunteerCreated(
        volunteer_id=volunteer_id,
        display_name_kept=kept,
        note="display_name was not kept: without show_name_publicly the volunteer is shown by "
        "no public name, and the name is stored nowhere"
        if dropped
        else None,
    )


@router.get("/volunteers", summary="Volunteers, pseudonymous, by community and status")
async def list_volunteers(
    db: Db,
    _who: AnyRole,
    community_id: str | None = None,
    status: VolunteerStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    filters = [("community_id = ?", queries.one(community_id)), ("status = ?", queries.one(status))]
    page = await queries.listing(db, "volunteers", filters, limit, cursor)
    return Page(items=[presentation.volunteer(v) for v in page.items], next_cursor=page.next_cursor)


@router.post(
    "/volunteers/search",
    summary="Find volunteers by name or phone (in the body: never in a URL or a log); the first"
    " 50 matches",
)
async def find_volunteers(
    body: people.FindVolunteers, store: Store, vault: VaultDep, who: Coordinator
) -> Page[VolunteerView]:
    found = await people.find_volunteers(store, vault, body)
    return Page(
        items=[
            await _view(store, vault, volunteer_id, who.token_id, "volunteer search")
            for volunteer_id in found
        ]
    )


@router.get(
    "/volunteers/{volunteer_id}",
    summary="A volunteer; personal data only for coordinators, admins and themself",
)
async def get_volunteer(
    volunteer_id: UUID, store: Store, vault: VaultDep, who: AnyRole
) -> VolunteerView:
    shown_to = who.token_id if may_read_personal_data(who, volunteer_id) else None
    return await _view(store, vault, volunteer_id, shown_to, "volunteer record")


async def _view(
    store: Store, vault: Vault, volunteer_id: UUID, shown_to: UUID | None, purpose: str
) -> VolunteerView:
    volunteer, personal = await people.get_volunteer(
        store, vault, volunteer_id, shown_to=shown_to, purpose=purpose
    )
    return VolunteerView(
        volunteer_id=volunteer.volunteer_id,
        community_id=volunteer.community_id,
        skills=list(volunteer.skills),
        skill_labels=presentation.skill_labels(volunteer.skills),
        certification=volunteer.certification,
        display_name=volunteer.display_name,
        status=volunteer.status,
        personal_data=personal,
        application_id=volunteer.application_id,
    )


@router.post(
    "/volunteers/{volunteer_id}/suspend",
    status_code=204,
    summary="Suspend a volunteer (no sign-ups, no claims)",
)
async def suspend(volunteer_id: UUID, store: Store, _who: Coordinator) -> None:
    await people.change_status(store, volunteer_id, "suspend", datetime.now(UTC))


@router.post(
    "/volunteers/{volunteer_id}/reactivate",
    status_code=204,
    summary="Reactivate a suspended volunteer",
)
async def reactivate(volunteer_id: UUID, store: Store, _who: Coordinator) -> None:
    await people.change_status(store, volunteer_id, "reactivate", datetime.now(UTC))


class Left(BaseModel):
    """What ended with a withdrawal or an erasure, in the same transaction (as a resident's
    erasure in the needs service answers)."""

    erased: bool
    released_activities: list[UUID]


@router.post(
    "/volunteers/{volunteer_id}/withdraw",
    summary="Record that a volunteer has withdrawn (for good); says which activities to come "
    "got their places back",
)
async def withdraw(volunteer_id: UUID, store: Store, _who: Coordinator) -> Left:
    released = await people.withdraw(store, volunteer_id, datetime.now(UTC))
    return Left(erased=False, released_activities=released)


@router.delete(
    "/volunteers/{volunteer_id}/personal-data",
    summary="Erase a volunteer's personal data for good (crypto-shredding); they are withdrawn, "
    "and the answer says which activities to come got their places back",
)
async def erase_personal_data(volunteer_id: UUID, store: Store, who: Eraser) -> Left:
    acting_as(
        who,
        volunteer_id,
        "volunteer_id",
        rule="only the volunteer themself, a coordinator or an admin may erase a volunteer's "
        "personal data",
    )
    released = await people.erase_personal_data(store, volunteer_id, datetime.now(UTC))
    return Left(erased=True, released_activities=released)

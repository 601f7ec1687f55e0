"""Applications to become a volunteer (志愿者报名), as coordinators and admins decide them: the
list (with the pending applicants' contact details, read-logged), accept, decline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel

from wushe_service.api import Db, Principal, Role, Store, VaultDep, require
from wushe_service.paging import Cursor, Limit, Page
from wushe_volunteers import application_tables
from wushe_volunteers.api import presentation
from wushe_volunteers.commands import applications
from wushe_volunteers.domain.application import ApplicationState

router = APIRouter(tags=["applications"])
Coordinator = Annotated[Principal, require(Role.coordinator)]


class Accepted(BaseModel):
    application_id: UUID
    volunteer_id: UUID


@router.get(
    "/applications",
    summary="Applications to become a volunteer, the longest waiting first; the pending ones "
    "with the applicant's contact details (read-logged)",
)
async def list_applications(
    request: Request,
    db: Db,
    store: Store,
    vault: VaultDep,
    who: Coordinator,
    community_id: str | None = None,
    state: ApplicationState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    page = await application_tables.listing(
        db, community_id=community_id, state=state, limit=limit, cursor=cursor
    )
    pending = [row["application_id"] for row in page.items if row["state"] == "pending"]
    sealed = await applications.applicants(store, vault, pending, who.token_id)
    zone = presentation.settings(request).zone()
    items = [
        presentation.with_local(row, zone, "submitted_at", "decided_at")
        | {
            "skill_labels": presentation.skill_labels(row["skills"]),
            "personal_data": sealed.get(row["application_id"]),
        }
        for row in page.items
    ]
    return Page(items=items, next_cursor=page.next_cursor)


class Counts(BaseModel):
    pending: int


@router.get(
    "/applications/counts",
    summary="How many applications await a decision (the workbench's 报名申请（3）): a count, "
    "no personal data, nothing read-logged",
)
async def count_applications(db: Db, _who: Coordinator) -> Counts:
    return Counts(pending=await application_tables.pending_count(db))


@router.post(
    "/applications/{application_id}/accept",
    summary="Accept an application: the volunteer is registered with the consents given, and "
    "the application's own copy of their data shredded",
)
async def accept(application_id: UUID, store: Store, vault: VaultDep, who: Coordinator) -> Accepted:
    volunteer_id = await applications.accept(
        store, vault, application_id, who.person_id, datetime.now(UTC)
    )
    return Accepted(application_id=application_id, volunteer_id=volunteer_id)


@router.post(
    "/applications/{application_id}/decline",
    status_code=204,
    summary="Decline an application with a reason code; the applicant's data is shredded",
)
async def decline(
    application_id: UUID, body: applications.DeclineApplication, store: Store, who: Coordinator
) -> None:
    await applications.decline(store, application_id, body, who.person_id, datetime.now(UTC))

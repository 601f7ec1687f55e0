"""Residents (居民): registration, pseudonymous reads, consent, erasure of personal data."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from wushe_events.catalogue.needs import (
    AgeBand,
    ConsentGiver,
    ConsentPurpose,
    TargetGroup,
    WithdrawalReason,
)
from wushe_events.errors import NotFound
from wushe_needs import queries
from wushe_needs.api.disclosure import (
    With,
    disclosed,
    may_read_personal_data,
    with_notes,
    with_personal_data,
)
from wushe_needs.api.roles import CaseReader, SocialWorker
from wushe_needs.api.streets import (
    ServingSocialWorker,
    refuse_unless_serving_community,
)
from wushe_needs.commands import residents as commands
from wushe_service.api import Db, Store, VaultDep
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.personal_data import Vault

router = APIRouter(tags=["residents"])
VISIT = ("name", "address", "phone")  # what a visit is planned with, no more


class ResidentCreated(BaseModel):
    resident_id: UUID


class ConsentView(BaseModel):
    purpose: ConsentPurpose
    given_by: ConsentGiver
    given_at: datetime


class WithdrawnConsentView(BaseModel):
    purpose: ConsentPurpose
    withdrawn_at: datetime


class ConsentChangeView(BaseModel):
    change: Literal["granted", "withdrawn"]
    purpose: ConsentPurpose
    at: datetime
    by: ConsentGiver | None = Field(
        description="who gave or withdrew it: self or guardian; for a withdrawal, as its reason "
        "says (by_request, guardian_request), else null"
    )
    reason: WithdrawalReason | None = Field(description="a withdrawal's, where recorded")
    recorded_by: str | None = Field(
        description="the person id of the staff member who recorded the grant or withdrawal, "
        "where their token names one"
    )


class ResidentView(BaseModel):
    resident_id: UUID
    community_id: str
    groups: list[TargetGroup]
    age_band: AgeBand
    erased: bool
    merged_into: UUID | None = Field(
        None,
        description="a duplicate record merged into another: the resident kept, whose timeline "
        "shows this record's history",
    )
    consents: list[ConsentView]
    withdrawn_consents: list[WithdrawnConsentView]
    consent_history: list[ConsentChangeView] = Field(
        description="every consent given or withdrawn, in the order recorded"
    )
    assessment: dict[str, Any] | None
    personal_data: dict[str, Any] | None = None


@router.post(
    "/residents",
    status_code=201,
    summary="Register a resident; personal data is sealed, never published. A token of a "
    "street registers residents of its street's communities only (else 403)",
)
async def register_resident(
    body: commands.RegisterResident, store: Store, vault: VaultDep, who: SocialWorker
) -> ResidentCreated:
    async with store.connection() as db:
        await refuse_unless_serving_community(db, who, body.community_id)
    resident_id = await commands.register_resident(
        store, vault, body, datetime.now(UTC), who.person
    )
    return ResidentCreated(resident_id=resident_id)


@router.get(
    "/residents",
    summary="Residents by community, pseudonymous; with=personal_data: with their names",
)
async def list_residents(
    db: Db,
    vault: VaultDep,
    who: CaseReader,
    community_id: str | None = None,
    with_: With = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    await queries.filtering_by_community(db, community_id)
    found = await queries.residents(db, community_id=community_id, limit=limit, cursor=cursor)
    ids = [r["resident_id"] for r in found.items]
    shown = await disclosed(db, vault, who, with_, ids, purpose="resident list")
    return found.model_copy(update={"items": with_personal_data(found.items, shown)})


@router.get(
    "/residents/due",
    summary="Residents to visit again (回访): no survey for `days` days; never surveyed first, "
    "then the longest unvisited; with=personal_data: with names, addresses and phones",
)
async def due_visits(
    db: Db,
    vault: VaultDep,
    who: CaseReader,
    community_id: str | None = None,
    group: TargetGroup | None = None,
    days: Annotated[int, Query(ge=1, le=3650, description="days since the last visit")] = 30,
    with_: With = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    await queries.filtering_by_community(db, community_id)
    found = await queries.due_visits(
        db,
        community_id=community_id,
        group=group.value if group else None,
        before=datetime.now(UTC) - timedelta(days=days),
        limit=limit,
        cursor=cursor,
    )
    ids = [r["resident_id"] for r in found.items]
    shown = await disclosed(db, vault, who, with_, ids, purpose="visit list", fields=VISIT)
    return found.model_copy(update={"items": with_personal_data(found.items, shown)})


@router.post(
    "/residents/search",
    summary="Find residents by name, ID number or phone (in the body: never in a URL or a log);"
    " the first 50 matches; a token of a street finds the residents of its street only",
)
async def find_residents(
    body: commands.FindResidents, store: Store, vault: VaultDep, who: SocialWorker
) -> Page[ResidentView]:
    found = await commands.find_residents(store, vault, body, who.street)
    return Page(
        items=[
            await _view(store, vault, resident_id, who.token_id, "resident search")
            for resident_id in found
        ]
    )


@router.get(
    "/residents/{resident_id}",
    summary="A resident (social workers, auditors, admins); personal data only for social "
    "workers and admins, and for a token of a street only if the resident lives on it: else "
    "the record as an auditor sees it (personal_data null, not read-logged)",
)
async def get_resident(
    resident_id: UUID, store: Store, vault: VaultDep, who: CaseReader
) -> ResidentView:
    async with store.connection() as db:
        shown = await may_read_personal_data(db, who, resident_id)
    shown_to = who.token_id if shown else None
    return await _view(store, vault, resident_id, shown_to, "resident record")


async def _view(
    store: Store, vault: Vault, resident_id: UUID, shown_to: UUID | None, purpose: str
) -> ResidentView:
    resident, personal = await commands.get_resident(
        store, vault, resident_id, shown_to=shown_to, purpose=purpose
    )
    async with store.connection() as db:
        assessment = await queries.assessment(db, resident_id)
    return ResidentView(
        resident_id=resident.resident_id,
        community_id=resident.community_id,
        groups=list(resident.groups),
        age_band=resident.age_band,
        erased=resident.erased,
        merged_into=resident.merged_into,
        consents=[
            ConsentView(purpose=p, given_by=c.given_by, given_at=c.given_at)
            for p, c in resident.consents.items()
        ],
        withdrawn_consents=[
            WithdrawnConsentView(purpose=p, withdrawn_at=at) for p, at in resident.withdrawn.items()
        ],
        consent_history=[ConsentChangeView(**asdict(c)) for c in resident.consent_history],
        assessment=assessment,
        personal_data=personal,
    )


@router.get(
    "/residents/{resident_id}/timeline",
    summary="The resident's case file (个案档案): their events and those of their surveys, "
    "needs and wishes, in the order recorded; the notes kept with them for social workers and "
    "admins (read-logged), for a token of a street only if the resident lives on it",
)
async def timeline(
    resident_id: UUID,
    db: Db,
    vault: VaultDep,
    who: CaseReader,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    if not await queries.resident_exists(db, resident_id):
        raise NotFound("resident", resident_id)
    found = await queries.timeline(db, resident_id, limit=limit, cursor=cursor)
    return await with_notes(db, vault, who, resident_id, found)


class ConsentOnRecord(BaseModel):
    """A consent of the purpose on record already: nothing was recorded."""

    consent: Literal["on_record"] = "on_record"
    purpose: ConsentPurpose
    given_by: ConsentGiver = Field(description="as on record")
    given_at: datetime = Field(description="the day on record: it does not move")
    note: str


@router.post(
    "/residents/{resident_id}/consents",
    status_code=204,
    summary="Record a consent (dated; by the resident or a guardian); a token of a street: of "
    "its residents only",
    description="The same consent on record already (its purpose, not withdrawn, given by the "
    "same) is not recorded twice, as an import does not: the answer is 200 `consent: on_record` "
    "with the consent on record, its day unchanged, and no event. A consent withdrawn, or a "
    "guardian's for one the resident gave, is recorded (204).",
    response_model=None,
    responses={200: {"model": ConsentOnRecord, "description": "on record already: no change"}},
)
async def grant_consent(
    resident_id: UUID,
    body: commands.GrantConsent,
    store: Store,
    vault: VaultDep,
    who: ServingSocialWorker,
) -> Response:
    held = await commands.grant_consent(
        store, vault, resident_id, body, datetime.now(UTC), who.person
    )
    if held is None:
        return Response(status_code=204)
    on_record = ConsentOnRecord(
        purpose=body.purpose,
        given_by=held.given_by,
        given_at=held.given_at,
        note=f"the {body.purpose} consent is on record since {held.given_at:%Y-%m-%d} "
        f"(given by {held.given_by}); it was not recorded again",
    )
    return JSONResponse(on_record.model_dump(mode="json"))


class StoppedView(BaseModel):
    """What ended with the consent or the personal data, in the same transaction."""

    erased: bool
    cancelled_wishes: list[UUID]
    closed_needs: list[UUID]


@router.post(
    "/residents/{resident_id}/consents/{purpose}/withdraw",
    summary="Record that a consent was withdrawn: without personal_data, the personal data is "
    "erased; without services, live wishes are cancelled, open needs closed and no new survey or "
    "wish is taken; a token of a street: of its residents only",
)
async def withdraw_consent(
    resident_id: UUID,
    purpose: ConsentPurpose,
    store: Store,
    who: ServingSocialWorker,
    body: commands.WithdrawConsent | None = None,
) -> StoppedView:
    stopped = await commands.withdraw_consent(
        store,
        resident_id,
        purpose,
        body or commands.WithdrawConsent(),
        who.person,
        datetime.now(UTC),
    )
    return StoppedView(erased=purpose is ConsentPurpose.personal_data, **asdict(stopped))


@router.delete(
    "/residents/{resident_id}/personal-data",
    summary="Erase a resident's personal data for good (crypto-shredding); says which wishes "
    "were cancelled and needs closed with it; a token of a street: of its residents only",
)
async def erase_personal_data(
    resident_id: UUID, store: Store, _who: ServingSocialWorker
) -> StoppedView:
    stopped = await commands.erase_personal_data(store, resident_id, datetime.now(UTC))
    return StoppedView(erased=True, **asdict(stopped))

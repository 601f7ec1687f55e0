"""HTTP routes of the needs service (DESIGN §5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from wushe_events.catalogue.needs import AgeBand, Dimensions, IdentifiedNeed, TargetGroup
from wushe_needs import commands
from wushe_service.api import AnyRole, Role, Store, VaultDep, require

router = APIRouter()

SocialWorker = Annotated[Any, require(Role.social_worker)]
MAY_READ_PERSONAL_DATA = {Role.social_worker, Role.admin}


class CommunityCreated(BaseModel):
    community_id: str


class ResidentCreated(BaseModel):
    resident_id: UUID


class SurveyCreated(BaseModel):
    survey_id: UUID
    need_ids: list[UUID]


class ResidentView(BaseModel):
    resident_id: UUID
    community_id: str
    groups: list[TargetGroup]
    age_band: AgeBand
    erased: bool
    personal_data: dict[str, Any] | None = None


class SurveyView(BaseModel):
    survey_id: UUID
    resident_id: UUID
    community_id: str
    method: str
    surveyed_at: datetime
    dimensions: Dimensions
    needs: list[IdentifiedNeed]
    surveyor_id: str | None


@router.post(
    "/communities", status_code=201, tags=["communities"], summary="Register a community (社区/村)"
)
async def register_community(
    body: commands.RegisterCommunity,
    store: Store,
    _who: SocialWorker,
) -> CommunityCreated:
    return CommunityCreated(community_id=await commands.register_community(store, body))


@router.post(
    "/residents",
    status_code=201,
    tags=["residents"],
    summary="Register a resident; personal data is sealed, never published",
)
async def register_resident(
    body: commands.RegisterResident,
    store: Store,
    vault: VaultDep,
    _who: SocialWorker,
) -> ResidentCreated:
    resident_id = await commands.register_resident(store, vault, body, datetime.now(UTC))
    return ResidentCreated(resident_id=resident_id)


@router.get(
    "/residents/{resident_id}",
    tags=["residents"],
    summary="A resident; personal data only for social workers and admins",
)
async def get_resident(
    resident_id: UUID,
    store: Store,
    vault: VaultDep,
    who: AnyRole,
) -> ResidentView:
    resident, personal = await commands.get_resident(
        store, vault, resident_id, with_personal_data=who.role in MAY_READ_PERSONAL_DATA
    )
    return ResidentView(
        resident_id=resident.resident_id,
        community_id=resident.community_id,
        groups=list(resident.groups),
        age_band=resident.age_band,
        erased=resident.erased,
        personal_data=personal,
    )


@router.post(
    "/surveys",
    status_code=201,
    tags=["surveys"],
    summary="Record a needs survey (需求调研) with the four-dimension assessment",
)
async def record_survey(
    body: commands.RecordSurvey, store: Store, who: SocialWorker
) -> SurveyCreated:
    survey_id, need_ids = await commands.record_survey(
        store, body, str(who.token_id), datetime.now(UTC)
    )
    return SurveyCreated(survey_id=survey_id, need_ids=need_ids)


@router.get("/surveys/{survey_id}", tags=["surveys"], summary="A recorded survey")
async def get_survey(survey_id: UUID, store: Store, _who: AnyRole) -> SurveyView:
    survey = await commands.get_survey(store, survey_id)
    return SurveyView(
        survey_id=survey.survey_id,
        resident_id=survey.resident_id,
        community_id=survey.community_id,
        method=survey.method,
        surveyed_at=survey.surveyed_at,
        dimensions=survey.dimensions,
        needs=list(survey.needs),
        surveyor_id=survey.surveyor_id,
    )

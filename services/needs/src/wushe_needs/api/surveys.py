"""Needs surveys (需求调研)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from wushe_events.catalogue.needs import Dimension, Dimensions, IdentifiedNeed, SurveyMethod
from wushe_needs import queries, visit_record
from wushe_needs.api.disclosure import disclosed, may_read_personal_data, notes_shown
from wushe_needs.api.roles import CaseReader, SocialWorker
from wushe_needs.api.streets import refuse_unless_serving_resident
from wushe_needs.commands import surveys as commands
from wushe_needs.commands.notes import of_need, of_survey
from wushe_needs.domain.survey import Survey
from wushe_service import auth, sheet_style
from wushe_service.api import (
    Db,
    PageFormat,
    Principal,
    Store,
    VaultDep,
    wants_html,
)
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.personal_data import Vault

router = APIRouter(tags=["surveys"])


class OpenNeed(BaseModel):
    need_id: UUID
    category: str
    dimension: Dimension


class SurveyCreated(BaseModel):
    survey_id: UUID
    need_ids: list[UUID] = Field(
        description="the id of each need, in the order given: a new need's, or that of the "
        "need the resident has open already"
    )
    already_open: list[OpenNeed] = Field(
        description="the needs found that the resident has open already (same category and "
        "dimension): not listed a second time"
    )


class VerificationView(BaseModel):
    spot_check_id: UUID
    discrepancy: bool
    differing: list[Dimension]


class NeedView(IdentifiedNeed):
    notes: str | None = None  # social workers and admins


class SurveyView(BaseModel):
    survey_id: UUID
    resident_id: UUID
    community_id: str
    method: SurveyMethod
    surveyed_at: datetime
    dimensions: Dimensions
    needs: list[NeedView]
    surveyor_id: str | None
    verifies_survey_id: UUID | None
    verifications: list[VerificationView]
    superseded_by: UUID | None
    has_notes: bool
    notes: str | None = None  # the visit record: social workers and admins


@router.post(
    "/surveys",
    status_code=201,
    summary="Record a needs survey (需求调研) with the four-dimension assessment; a token of a "
    "street: of its residents only (else 403)",
)
async def record_survey(
    body: commands.RecordSurvey, store: Store, vault: VaultDep, who: SocialWorker
) -> SurveyCreated:
    async with store.connection() as db:
        await refuse_unless_serving_resident(db, who, body.resident_id)
    # The surveyor as a person (the register entry their token names), never the token: a
    # token's id stays in the store's audit trail, off the bus (wushe_service.audit).
    surveyor = who.person
    recorded = await commands.record_survey(store, vault, body, surveyor, datetime.now(UTC))
    return SurveyCreated(
        survey_id=recorded.survey_id,
        need_ids=[n.need_id for n in recorded.needs],
        already_open=[
            OpenNeed(need_id=n.need_id, category=n.category, dimension=n.dimension)
            for n in recorded.already_open
        ],
    )


@router.get(
    "/surveys",
    summary="Surveys, oldest first, by resident, community, method or discrepancy "
    "(method=spot_check&discrepancy=true: the failed spot checks); each with its surveyor's "
    "person id and name, as the office's tokens name them",
)
async def list_surveys(
    request: Request,
    db: Db,
    _who: CaseReader,
    resident_id: UUID | None = None,
    community_id: str | None = None,
    method: SurveyMethod | None = None,
    discrepancy: Annotated[
        bool | None,
        Query(
            description="true: spot checks that found a discrepancy and the surveys they "
            "checked; false: those checked and found right"
        ),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    await queries.filtering_by_community(db, community_id)
    page = await queries.surveys(
        db,
        resident_id=resident_id,
        community_id=community_id,
        method=method and method.value,
        discrepancy=discrepancy,
        limit=limit,
        cursor=cursor,
    )
    office = request.app.state.runtime.settings.office
    people = {item["surveyor_id"] for item in page.items if item["surveyor_id"]}
    names = await auth.names_of_people(db, office, people)
    for item in page.items:
        item["surveyor"] = names.get(item["surveyor_id"] or "")
    return page


@router.get(
    "/surveys/{survey_id}",
    response_model=SurveyView,
    summary="A survey, its spot checks, and what superseded it; its notes for social workers "
    "and admins (read-logged); format=html: the home-visit record sheet (入户走访记录表) to print. "
    "A token of a street is shown the notes, and on the sheet the resident's name, address and "
    "phone, of its residents only",
)
async def get_survey(
    survey_id: UUID,
    request: Request,
    store: Store,
    vault: VaultDep,
    who: CaseReader,
    format: PageFormat = None,
) -> Any:
    survey = await commands.get_survey(store, survey_id)
    if wants_html(request, format):
        return await _record_sheet(request, store, vault, who, survey)
    later = None
    async with store.connection() as db:
        if survey.method is not SurveyMethod.spot_check:
            later = await queries.superseded_by(
                db,
                {
                    "resident_id": survey.resident_id,
                    "surveyed_at": survey.surveyed_at,
                    "survey_id": survey.survey_id,
                },
            )
        written = await _notes(db, vault, who, survey)
    return SurveyView(
        survey_id=survey.survey_id,
        resident_id=survey.resident_id,
        community_id=survey.community_id,
        method=survey.method,
        surveyed_at=survey.surveyed_at,
        dimensions=survey.dimensions,
        needs=[
            NeedView(**n.model_dump(), notes=written.get(of_need(n.need_id))) for n in survey.needs
        ],
        surveyor_id=survey.surveyor_id,
        verifies_survey_id=survey.verifies_survey_id,
        verifications=[
            VerificationView(
                spot_check_id=v.spot_check_id,
                discrepancy=v.discrepancy,
                differing=list(v.differing),
            )
            for v in survey.verifications
        ],
        superseded_by=later,
        has_notes=survey.has_notes,
        notes=written.get(of_survey(survey_id)),
    )


async def _record_sheet(
    request: Request, store: Store, vault: Vault, who: Principal, survey: Survey
) -> HTMLResponse:
    """The record sheet, never kept by a proxy: it may hold personal data. No script runs on
    it, nothing is loaded, no style applies but its own."""
    checks = [survey.verifies_survey_id, *(v.spot_check_id for v in survey.verifications)]
    others = [await commands.get_survey(store, i) for i in checks if i is not None]
    settings = request.app.state.runtime.settings
    zone = settings.zone()
    async with store.connection() as db:
        community = await queries.community_name(db, survey.community_id)
        people = [str(s.surveyor_id or "") for s in (survey, *others)]
        names = await auth.names_of_people(db, settings.office, people)
        surveyor = names.get(str(survey.surveyor_id or ""))
        shown = await _sheet_disclosures(db, vault, who, survey)
    related = {
        o.survey_id: visit_record.related_survey(o, names.get(str(o.surveyor_id or "")), zone)
        for o in others
    }
    page = visit_record.visit_record_page(
        survey,
        replace(shown, community=community, surveyor=surveyor, related=related),
        zone,
        settings.display_name(),
    )
    headers = sheet_style.headers(visit_record.SHEET_CSS) | {"Cache-Control": "no-store"}
    return HTMLResponse(page, headers=headers)


async def _sheet_disclosures(
    db: Db, vault: Vault, who: Principal, survey: Survey
) -> visit_record.Shown:
    """The resident's name, address and phone and the notes, for those who may read this
    resident's personal data, each read logged (purpose `visit record`); nothing for the rest."""
    rid = survey.resident_id
    if not await may_read_personal_data(db, who, rid):
        return visit_record.Shown(person=None, notes=None)
    fields = visit_record.PERSON
    person = await disclosed(
        db, vault, who, "personal_data", [rid], purpose="visit record", fields=fields
    )
    about = [of_survey(survey.survey_id), *(of_need(n.need_id) for n in survey.needs)]
    written = await notes_shown(db, vault, who, rid, about, purpose="visit record")
    return visit_record.Shown(person=(person or {}).get(rid, {}), notes=written or {})


async def _notes(db: Db, vault: Vault, who: Principal, survey: Survey) -> dict[str, str]:
    """The survey's notes and its needs', for those who may read them (read-logged)."""
    about = [of_survey(survey.survey_id), *(of_need(n.need_id) for n in survey.needs)]
    shown = await notes_shown(db, vault, who, survey.resident_id, about, purpose="survey notes")
    return shown or {}

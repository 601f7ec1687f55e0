"""Needs surveys (需求调研) and the community needs list (需求清单)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from pydantic import ConfigDict, Field

from wushe_events.aggregate import load, transacting
from wushe_events.catalogue.base import Slug, UtcDatetime
from wushe_events.catalogue.needs import (
    Dimension,
    Dimensions,
    IdentifiedNeed,
    NeedOutcome,
    SurveyMethod,
    Urgency,
)
from wushe_events.errors import NotFound
from wushe_events.store import EventStore, Transaction
from wushe_needs import store as needs_store
from wushe_needs.commands import Command
from wushe_needs.commands import wishes as wish_commands
from wushe_needs.commands.residents import birth_of
from wushe_needs.domain import need, resident, survey
from wushe_service.personal_data import Vault


class Assessment(Dimensions):
    """The four-dimension assessment as a request: an unknown dimension is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class NeedRequest(Command):
    category: Slug
    dimension: Dimension
    urgency: Urgency = Urgency.normal


class RecordSurvey(Command):
    resident_id: UUID
    method: SurveyMethod
    surveyed_at: UtcDatetime | None = Field(
        None, description="default: now; never more than a few minutes ahead"
    )
    dimensions: Assessment
    needs: list[NeedRequest] = Field(default_factory=list, max_length=50)
    verifies_survey_id: UUID | None = Field(
        None, description="for a spot_check: the survey it verifies"
    )


class ResolveNeed(Command):
    outcome: NeedOutcome = Field(NeedOutcome.resolved, description="resolved, or closed")
    reason: Slug = Field(description="e.g. service-provided, moved-away, no-longer-needed")


async def record_survey(
    store: EventStore, vault: Vault, command: RecordSurvey, surveyor_id: str | None, now: datetime
) -> tuple[UUID, list[UUID]]:
    survey_id = uuid4()
    needs = [IdentifiedNeed(need_id=uuid4(), **n.model_dump()) for n in command.needs]
    async with store.transaction() as tx:
        await needs_store.lock_resident(tx.raw, command.resident_id)  # an erasure waits, or we do
        who = await load(tx, "resident", str(command.resident_id), resident.evolve)
        verified = None
        if command.verifies_survey_id is not None:
            verified = await load(tx, "survey", str(command.verifies_survey_id), survey.evolve)
        recorded = survey.record(
            who.state,
            command.resident_id,
            survey_id,
            command.method,
            command.surveyed_at or now,
            command.dimensions,
            needs,
            surveyor_id,
            verified.state if verified else None,
            command.verifies_survey_id,
            now=now,
            born=birth_of(await vault.read(tx.raw, command.resident_id)),
        )
        await tx.append(0, recorded.survey, now=now)
        if verified is not None and recorded.verified:
            await tx.append(verified.version, recorded.verified, now=now)
        for identified in recorded.needs:
            await tx.append(0, [identified], now=now)
    return survey_id, [n.need_id for n in needs]


async def get_survey(store: EventStore, survey_id: UUID) -> survey.Survey:
    async with store.transaction() as tx:
        loaded = await load(tx, "survey", str(survey_id), survey.evolve)
    if loaded.state is None:
        raise NotFound("survey", survey_id)
    return loaded.state


async def resolve_need(store: EventStore, need_id: UUID, command: ResolveNeed) -> None:
    async def work(tx: Transaction) -> None:
        listed = await load(tx, "need", str(need_id), need.evolve)
        live = await wish_commands.live_wish(tx, listed.state)
        events = need.resolve(
            listed.state, need_id, command.outcome, command.reason, wish_live=live
        )
        await tx.append(listed.version, events)

    await transacting(store, work)

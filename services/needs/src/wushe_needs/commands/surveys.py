"""Needs surveys (需求调研) and the community needs list (需求清单)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from pydantic import AliasChoices, ConfigDict, Field, field_validator

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
from wushe_events.catalogue.vocabulary import NeedCategory
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_needs import queries
from wushe_needs import store as needs_store
from wushe_needs.commands import Command, notes
from wushe_needs.commands import wishes as wish_commands
from wushe_needs.commands.notes import Notes
from wushe_needs.commands.residents import birth_of
from wushe_needs.domain import need, resident, survey
from wushe_service.personal_data import Vault


class Assessment(Dimensions):
    """The four-dimension assessment as a request: an unknown dimension is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("physical", "psychological", "material", "spiritual", mode="before")
    @classmethod
    def _whole_number(cls, value: object) -> object:
        # A level is a whole number as written: "2", 2.0 or true are a form's or a script's
        # mistake, and true would have been kept as 1 (mild) without a word.
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                "must be a whole number 0 (none) to 3 (severe), not text, a decimal or true/false"
            )
        return value


class NeedRequest(Command):
    category: NeedCategory
    dimension: Dimension
    urgency: Urgency = Urgency.normal
    notes: Notes | None = None


class RecordSurvey(Command):
    resident_id: UUID
    # DESIGN §5: request fields follow the catalogue's, and needs.survey.recorded names the
    # community. The resident's own is recorded; one given must be it, never moves them.
    community_id: Slug | None = Field(
        None, description="the resident's community, as in needs.survey.recorded: optional"
    )
    method: SurveyMethod
    surveyed_at: UtcDatetime | None = Field(
        None, description="default: now; never more than a few minutes ahead"
    )
    dimensions: Assessment
    needs: list[NeedRequest] = Field(default_factory=list, max_length=50)
    verifies_survey_id: UUID | None = Field(
        None, description="for a spot_check: the survey it verifies"
    )
    notes: Notes | None = Field(None, description="the visit record (走访记录)")

    def identified(self, open_now: dict[tuple[str, str], UUID]) -> list[IdentifiedNeed]:
        """The needs found, each with a new id — or, when the resident has that need
        (category and dimension) open already, that need's id, marked `already_open`."""
        return [
            IdentifiedNeed(
                need_id=open_now.get((n.category, n.dimension.value)) or uuid4(),
                already_open=(n.category, n.dimension.value) in open_now,
                **n.model_dump(exclude={"notes"}),
            )
            for n in self.needs
        ]

    def notes_by_id(self, survey_id: UUID, needs: list[IdentifiedNeed]) -> dict[UUID, str]:
        """The notes given, by the id of the survey or the need they are about."""
        for i, (request, identified) in enumerate(zip(self.needs, needs, strict=True)):
            if identified.already_open and request.notes is not None:
                raise RuleBroken(
                    "need_already_open",
                    f"needs.{i}.notes: the resident has this need open already (need "
                    f"{identified.need_id}), so it is not identified again and notes cannot "
                    "be kept with it: write them in the survey's notes",
                )
        given = {survey_id: self.notes} | {
            identified.need_id: request.notes
            for request, identified in zip(self.needs, needs, strict=True)
        }
        return {about: text for about, text in given.items() if text is not None}


@dataclass(frozen=True)
class RecordedSurvey:
    survey_id: UUID
    needs: list[IdentifiedNeed]  # in the order of the request

    @property
    def already_open(self) -> list[IdentifiedNeed]:
        return [n for n in self.needs if n.already_open]


class ResolveNeed(Command):
    # Required: a default of `resolved` put "no-longer-needed" and "moved-away" among the needs
    # met, and the figures with them; whoever ends a need says which way it ended.
    # `resolution` is the event's name for it (DESIGN §5: request fields follow the
    # catalogue's); `outcome` is what clients have sent since the start. Either, not both.
    outcome: NeedOutcome = Field(
        validation_alias=AliasChoices("outcome", "resolution"),
        description="resolved (the need was met) or closed (it ended unmet: moved away, no "
        "longer needed); also taken as `resolution`, its name in needs.need.resolved",
    )
    # Defaulted as a decline's is in the volunteers service: DESIGN §5's client names the
    # outcome only (needs.need.resolved's required fields), and `other` says no reason was given.
    reason: Slug = Field(
        "other", description="e.g. service-provided, moved-away, no-longer-needed; default other"
    )
    notes: Notes | None = Field(None, description="what was done, what is left (走访记录)")


async def record_survey(
    store: EventStore,
    vault: Vault,
    command: RecordSurvey,
    surveyor_id: str | None,
    now: datetime,
) -> RecordedSurvey:
    """Record the survey. A need the resident has open already (the same category and
    dimension) is listed in the survey as found again, under its own id, and not put on the
    needs list a second time."""
    survey.each_need_once(command.needs)
    survey_id = uuid4()
    async with store.transaction() as tx:
        # An erasure waits, or we do; and so does another survey of the resident, which
        # would not see the needs this one identifies until it commits.
        await needs_store.lock_resident(tx.raw, command.resident_id)
        needs = command.identified(await queries.open_needs_by_kind(tx.raw, command.resident_id))
        noted = command.notes_by_id(survey_id, needs)
        who = await load(tx, "resident", str(command.resident_id), resident.evolve)
        _of_community(who.state, command.community_id)
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
            noted=frozenset(noted),
        )
        await tx.append(0, recorded.survey, now=now)
        if verified is not None and recorded.verified:
            await tx.append(verified.version, recorded.verified, now=now)
        for identified in recorded.needs:
            await tx.append(0, [identified], now=now)
        await notes.seal(tx, vault, command.resident_id, _about(survey_id, noted))
    return RecordedSurvey(survey_id, needs)


def _of_community(who: resident.Resident | None, community_id: str | None) -> None:
    if community_id is not None and who is not None and who.community_id != community_id:
        raise InvalidReference(
            "community_id",
            f"the resident is registered in {who.community_id}, not {community_id}",
            "not_the_residents_community",
        )


def _about(survey_id: UUID, noted: dict[UUID, str]) -> dict[str, str]:
    return {
        notes.of_survey(i) if i == survey_id else notes.of_need(i): text
        for i, text in noted.items()
    }


async def get_survey(store: EventStore, survey_id: UUID) -> survey.Survey:
    async with store.transaction() as tx:
        loaded = await load(tx, "survey", str(survey_id), survey.evolve)
    if loaded.state is None:
        raise NotFound("survey", survey_id)
    return loaded.state


class ReprioritiseNeed(Command):
    urgency: Urgency = Field(description="higher than the need's urgency now: it only rises")


async def reprioritise_need(store: EventStore, need_id: UUID, command: ReprioritiseNeed) -> None:
    async def work(tx: Transaction) -> None:
        listed = await load(tx, "need", str(need_id), need.evolve)
        events = need.reprioritise(listed.state, need_id, command.urgency)
        await tx.append(listed.version, events)

    await transacting(store, work)


async def resolve_need(
    store: EventStore, vault: Vault, need_id: UUID, command: ResolveNeed
) -> None:
    async def work(tx: Transaction) -> None:
        listed = await load(tx, "need", str(need_id), need.evolve)
        whose = await _may_keep_notes(tx, listed.state) if command.notes else None
        live = await wish_commands.live_wish(tx, listed.state)
        events = need.resolve(
            listed.state,
            need_id,
            command.outcome,
            command.reason,
            wish_live=live,
            has_notes=whose is not None,
        )
        await tx.append(listed.version, events)
        if whose is not None and command.notes:
            await notes.seal(tx, vault, whose, {notes.of_resolution(need_id): command.notes})

    await transacting(store, work)


async def _may_keep_notes(tx: Transaction, listed: need.Need | None) -> UUID | None:
    """Whose notes they would be, if theirs may be kept (else a RuleBroken)."""
    if listed is None:
        return None  # an unknown need: `need.resolve` says so
    await needs_store.lock_resident(tx.raw, listed.resident_id)  # an erasure waits, or we do
    loaded = await load(tx, "resident", str(listed.resident_id), resident.evolve)
    if loaded.state is not None:
        resident.may_keep_notes(loaded.state)
    return listed.resident_id

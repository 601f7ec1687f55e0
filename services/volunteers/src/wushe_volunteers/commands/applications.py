"""Applications to become a volunteer (志愿者报名): submitted by the person themself, accepted
(registered through the volunteers' own registration) or declined by a coordinator.

The applicant's data is sealed under a data key of the application's own, and shredded with the
decision, whichever it is: accepted, it lives on as the volunteer's (sealed under theirs);
declined, nothing is left to keep it for (PIPL art. 19: kept no longer than its purpose needs),
and the reason code stays on the application.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from wushe_events.aggregate import load, transacting
from wushe_events.catalogue.base import Line, ShortName, Slug
from wushe_events.errors import RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_service import communities
from wushe_service.identity import PhoneNumber, PublicName
from wushe_service.personal_data import Vault
from wushe_volunteers import application_tables
from wushe_volunteers.commands import Command, ReasonCode, Skill
from wushe_volunteers.commands.people import RegisterVolunteer, register_in
from wushe_volunteers.domain import application

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def _month(value: object) -> object:
    """A birth month as typed: 1990-05 (a month input's value), 1990/5, 1990年5月."""
    if isinstance(value, str):
        found = _MONTH.match(value)
        if not found or not 1 <= int(found[2]) <= 12:
            raise PydanticCustomError("month_form", "a month, e.g. 1990-05")
        return date(int(found[1]), int(found[2]), 1)
    return value


BirthMonth = Annotated[date, BeforeValidator(_month)]
# The keys the applicant's data is sealed under. Not `name` and `phone`: those the vault
# indexes, and a coordinator's search for volunteers would find applicants.
SEALED = ("applicant_name", "mobile", "birth_month", "availability", "display_name")


class SubmitApplication(Command):
    name: ShortName
    phone: PhoneNumber
    community_id: Slug
    birth_month: BirthMonth = Field(description="year and month of birth, e.g. 1990-05")
    skills: list[Skill] = Field(default_factory=list, max_length=30)
    availability: Line | None = Field(
        None, description="when they can serve, in their words (sealed): at most 200 characters"
    )
    display_name: PublicName | None = Field(None, description="a public name, e.g. 李志愿者")
    consent_personal_data: bool = Field(description="consent to store their personal data")
    show_name_publicly: bool = Field(False, description="consent to publish display_name")
    guardian_consent: bool = Field(False, description="a minor's guardian consents")

    @field_validator("consent_personal_data")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise PydanticCustomError(
                "consent_required", "the applicant's consent to store their data is required"
            )
        return value

    @field_validator("show_name_publicly")
    @classmethod
    def _a_name_to_show(cls, value: bool, info: ValidationInfo) -> bool:
        # A display name that failed its own check is not in `data`: named once, there.
        if value and info.data.get("display_name", "") is None:
            raise PydanticCustomError(
                "display_name_required", "give the display_name to be shown publicly"
            )
        return value

    def personal_data(self) -> dict[str, Any]:
        return {
            "applicant_name": self.name,
            "mobile": self.phone,
            "birth_month": self.birth_month.isoformat()[:7],
            "availability": self.availability,
            "display_name": self.display_name,
            "show_name_publicly": self.show_name_publicly,
            "guardian_consent": self.guardian_consent,
        }


class DeclineApplication(Command):
    reason: ReasonCode


async def submit(
    store: EventStore, vault: Vault, command: SubmitApplication, now: datetime, today: date
) -> UUID | None:
    """The new application's id; None when one with this phone is pending already (the same
    person pressing 提交 twice): nothing more is stored."""
    application.old_enough(command.birth_month, today, command.guardian_consent)
    application_id = uuid4()
    async with store.transaction() as tx:
        await communities.known(tx.raw, command.community_id)
        digest = vault.digest("phone", command.phone)
        if not await application_tables.hold_phone(tx.raw, application_id, digest):
            return None
        events = application.submit(application_id, command.community_id, command.skills)
        await tx.append(0, events, now=now)
        await vault.save(tx.raw, application_id, command.personal_data())
    return application_id


async def shred(tx: Transaction, application_id: UUID) -> None:
    """The application's sealed data and its phone's digest deleted, in the decision's
    transaction."""
    await Vault.erase(tx.raw, application_id)
    await application_tables.release_phone(tx.raw, application_id)


async def accept(
    store: EventStore, vault: Vault, application_id: UUID, decided_by: UUID | None, now: datetime
) -> UUID:
    """The volunteer registered. The decision is appended first: of two racing decisions the
    second meets the first's event, loads again and is refused (`application_decided`)."""

    async def work(tx: Transaction) -> UUID:
        loaded = await load(tx, "application", str(application_id), application.evolve)
        found = application.pending(loaded.state, application_id)
        volunteer_id = uuid4()
        decided = application.accept(found, application_id, volunteer_id, decided_by)
        await tx.append(loaded.version, decided, now=now)
        sealed = await vault.read(tx.raw, application_id)
        if sealed is None:  # shredded by hand: nobody to register
            raise RuleBroken(
                "application_data_erased",
                f"application {application_id}'s data was erased: decline it",
            )
        registration = RegisterVolunteer(
            name=sealed["applicant_name"],
            phone=sealed["mobile"],
            community_id=found.community_id,
            skills=list(found.skills),
            display_name=sealed.get("display_name"),
            show_name_publicly=bool(sealed.get("show_name_publicly")),
        )
        await register_in(tx, vault, registration, now, application_id, volunteer_id)
        await shred(tx, application_id)
        return volunteer_id

    return await transacting(store, work)


async def decline(
    store: EventStore,
    application_id: UUID,
    command: DeclineApplication,
    decided_by: UUID | None,
    now: datetime,
) -> None:
    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "application", str(application_id), application.evolve)
        decided = application.decline(loaded.state, application_id, command.reason, decided_by)
        await tx.append(loaded.version, decided, now=now)
        await shred(tx, application_id)

    await transacting(store, work)


async def applicants(
    store: EventStore, vault: Vault, application_ids: list[UUID], to: UUID
) -> dict[UUID, dict[str, Any]]:
    """The pending applicants' sealed data, shown to the token `to` (the read log records it)."""
    async with store.transaction() as tx:
        return await vault.disclose_many(
            tx.raw, application_ids, fields=SEALED, to=to, purpose="volunteer application"
        )

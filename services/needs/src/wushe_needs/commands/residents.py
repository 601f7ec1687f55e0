"""Communities and residents: registration, renaming, consent and erasure of personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import Field, model_validator

from wushe_events.aggregate import load, load_timed, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.base import Name, ShortName, Slug
from wushe_events.catalogue.needs import (
    ConsentGiver,
    ConsentPurpose,
    NeedOutcome,
    TargetGroup,
    WithdrawalReason,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_needs import queries
from wushe_needs import store as needs_store
from wushe_needs.commands import Command, duplicates
from wushe_needs.commands import wishes as wish_commands
from wushe_needs.domain import community, need, resident, wish
from wushe_service import field_rules
from wushe_service.identity import IdNumber, PhoneNumber, birth_date
from wushe_service.personal_data import MATCHES, AlreadyRegistered, Vault


class RegisterCommunity(Command):
    community_id: Slug | None = Field(None, description="a readable slug; a UUID if omitted")
    name: Name
    street: Name = Field(description="the street or town (街道/镇) it belongs to")


class RenameCommunity(Command):
    name: Name
    street: Name


class ConsentRequest(Command):
    given_by: ConsentGiver = Field(description="the resident, or a guardian for a minor")


class RegisterResident(Command):
    community_id: Slug
    groups: list[TargetGroup] = Field(min_length=1)
    birth_year: int = Field(ge=1900, le=2100)
    name: ShortName
    id_number: IdNumber | None = None
    phone: PhoneNumber | None = None
    address: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=2000)
    consent: ConsentRequest | None = Field(
        None, description="consent to keep this personal data; a guardian's under 14"
    )
    not_a_duplicate: bool = Field(
        False,
        description="a different person of the same name as a resident of the community with "
        "the same birth year or phone (else 409 possible_duplicate)",
    )

    def personal_data(self) -> dict[str, Any]:
        """Sealed in the vault; the birth year too, for the rules that depend on age."""
        return self.model_dump(
            include={"name", "id_number", "phone", "address", "notes", "birth_year"},
            exclude_none=True,
        )


def same_birth_year(personal: dict[str, Any], message: str) -> None:
    """The birth year typed is the year of the ID number's birth date: told against the year
    (the likelier slip), with a `type` a page words."""
    if personal.get("id_number") and (
        birth_date(personal["id_number"]).year != personal.get("birth_year")
    ):
        raise InvalidReference("birth_year", message, code="birth_year_id_number")


def birth_of(personal: dict[str, Any] | None) -> resident.Birth | None:
    """The birth date of a valid ID number, else the birth year, of sealed personal data."""
    personal = personal or {}
    if personal.get("id_number"):
        day = birth_date(personal["id_number"])
        return resident.Birth(day.year, day)
    if personal.get("birth_year"):
        return resident.Birth(personal["birth_year"])
    return None


class FindResidents(Command):
    """Whom a social worker looks for: any of name, ID number and phone (all must match)."""

    name: ShortName | None = None
    id_number: IdNumber | None = None
    phone: PhoneNumber | None = None

    @model_validator(mode="after")
    def _something_to_find(self) -> FindResidents:
        if not (self.name or self.id_number or self.phone):
            raise field_rules.broken(
                "name", "nothing_to_find", "give name, id_number or phone (any of them)"
            )
        return self

    def fields(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class GrantConsent(Command):
    purpose: ConsentPurpose
    given_by: ConsentGiver


async def register_community(store: EventStore, command: RegisterCommunity) -> str:
    community_id = command.community_id or str(uuid4())
    async with store.transaction() as tx:
        namesake = await needs_store.namesake(tx.raw, command.street, command.name, community_id)
        loaded = await load(tx, "community", community_id, community.evolve)
        events = community.register(
            loaded.state, community_id, command.name, command.street, namesake
        )
        await tx.append(loaded.version, events)
    return community_id


async def rename_community(store: EventStore, community_id: str, command: RenameCommunity) -> None:
    async def work(tx: Transaction) -> None:
        namesake = await needs_store.namesake(tx.raw, command.street, command.name, community_id)
        loaded = await load(tx, "community", community_id, community.evolve)
        events = community.rename(
            loaded.state, community_id, command.name, command.street, namesake
        )
        await tx.append(loaded.version, events)

    await transacting(store, work)


async def register_resident(
    store: EventStore,
    vault: Vault,
    command: RegisterResident,
    now: datetime,
    recorded_by: str | None = None,
) -> UUID:
    async with store.transaction() as tx:
        return await registered(tx, vault, command, now, recorded_by)


async def registered(
    tx: Transaction,
    vault: Vault,
    command: RegisterResident,
    now: datetime,
    recorded_by: str | None = None,
) -> UUID:
    """Register `command` as a new resident in `tx`: their events, their data sealed under a
    data key of their own; refused as `register_resident` refuses it."""
    resident_id = uuid4()
    events = await decide_registration(tx, vault, resident_id, command, now, recorded_by)
    await tx.append(0, events, now=now)
    try:
        await vault.save(tx.raw, resident_id, command.personal_data())
    except AlreadyRegistered as clash:
        raise resident_exists(clash.subject_id) from None
    return resident_id


async def decide_registration(
    tx: Transaction,
    vault: Vault,
    resident_id: UUID,
    command: RegisterResident,
    now: datetime,
    recorded_by: str | None = None,
) -> list[Event]:
    """The events that register `command` as `resident_id`, or the error it is refused with,
    but for an ID number registered already (`vault.save` meets it on its unique index; a check
    asks `id_number_registered`). Nothing written; a lock on the name's digest is held until
    the transaction ends."""
    same_birth_year(command.personal_data(), "birth_year differs from the birth date in id_number")
    where = await load(tx, "community", command.community_id, community.evolve)
    events = resident.register(
        where.state,
        resident_id,
        command.community_id,
        command.groups,
        birth_of(command.personal_data()) or resident.Birth(command.birth_year),
        now,
        with_personal_data=True,
        consent_by=command.consent.given_by if command.consent else None,
        recorded_by=recorded_by,
    )
    if not command.not_a_duplicate:  # bad input is told first; a lock before any write
        await duplicates.check_not_registered(
            tx, vault, resident_id, command.community_id, command.personal_data()
        )
    return events


async def id_number_registered(tx: Transaction, vault: Vault, command: RegisterResident) -> None:
    """`resident_exists` when the command's ID number is another resident's already, as
    `register_resident` would find it on saving; nobody's data opened."""
    if command.id_number and (
        held := await vault.holders(tx.raw, "id_number", [command.id_number])
    ):
        raise resident_exists(held[0])


async def id_number_not_erased(tx: Transaction, vault: Vault, command: RegisterResident) -> None:
    """`id_number_erased` when the command's ID number is of a resident whose personal data was
    erased (found by its digest): for an import, which is no new consent, to leave alone."""
    if command.id_number and await needs_store.id_number_erased(
        tx.raw, vault.digest("id_number", command.id_number)
    ):
        raise RuleBroken(
            "id_number_erased",
            "the personal data of a resident with this ID number was erased: register them "
            "again only with their new consent, one by one",
        )


def resident_exists(holder: UUID) -> RuleBroken:
    return RuleBroken(
        "resident_exists",
        f"a resident with this ID number is already registered: {holder}",
        {"duplicate_of": str(holder)},
    )


async def grant_consent(
    store: EventStore,
    vault: Vault,
    resident_id: UUID,
    command: GrantConsent,
    now: datetime,
    recorded_by: str | None = None,
) -> resident.Consent | None:
    """Record a consent; whether a guardian must give it is decided on the age today. One of
    the purpose on record already, by the same giver, is not recorded again: the consent on
    record is returned."""

    async def work(tx: Transaction) -> resident.Consent | None:
        loaded = await load(tx, "resident", str(resident_id), resident.evolve)
        birth = birth_of(await vault.read(tx.raw, resident_id))
        events = resident.grant_consent(
            loaded.state, resident_id, command.purpose, command.given_by, now, birth, recorded_by
        )
        if not events:
            return resident.existing(loaded.state, resident_id).consents[command.purpose]
        await tx.append(loaded.version, events, now=now)
        return None

    return await transacting(store, work)


@dataclass(frozen=True)
class Stopped:
    """What ended with a resident's consent or personal data: for the social worker to see."""

    cancelled_wishes: list[UUID] = field(default_factory=list)
    closed_needs: list[UUID] = field(default_factory=list)


class WithdrawConsent(Command):
    reason: WithdrawalReason | None = Field(
        None,
        description="by_request (the resident asked), guardian_request (their guardian asked), "
        "moved_away (left the office's area), deceased or other",
    )


async def withdraw_consent(
    store: EventStore,
    resident_id: UUID,
    purpose: ConsentPurpose,
    command: WithdrawConsent,
    recorded_by: str | None,
    now: datetime,
) -> Stopped:
    """Record the withdrawal, and stop what the consent allowed, in the same transaction: without
    consent to keep personal data it is erased (个人信息保护法 art. 47); without consent to be
    served, the resident's live wishes are cancelled and open needs closed."""

    async def work(tx: Transaction) -> Stopped:
        await needs_store.lock_resident(tx.raw, resident_id)  # a survey or wish under way first
        loaded = await load(tx, "resident", str(resident_id), resident.evolve)
        withdrawal = resident.withdraw_consent(
            loaded.state, resident_id, purpose, now, command.reason, recorded_by
        )
        await tx.append(loaded.version, withdrawal, now=now)
        if purpose is ConsentPurpose.personal_data:
            return await _erase(tx, resident_id, now)
        if purpose is ConsentPurpose.services:
            return await _stop_serving(tx, resident_id, CONSENT_WITHDRAWN, now)
        return Stopped()

    return await transacting(store, work)


ERASED = "resident-erased"  # reason codes of the cancellations and closures
CONSENT_WITHDRAWN = "consent-withdrawn"


async def erase_personal_data(store: EventStore, resident_id: UUID, now: datetime) -> Stopped:
    """Crypto-shred: the resident's data key is destroyed with the `erased` event, at once."""

    async def work(tx: Transaction) -> Stopped:
        await needs_store.lock_resident(tx.raw, resident_id)  # a survey or wish under way first
        return await _erase(tx, resident_id, now)

    return await transacting(store, work)


async def _erase(tx: Transaction, resident_id: UUID, now: datetime) -> Stopped:
    """Nobody can be visited or helped without a name and an address any more: the resident's
    live wishes are cancelled and open needs closed with the erasure."""
    loaded = await load(tx, "resident", str(resident_id), resident.evolve)
    await tx.append(loaded.version, resident.erase(loaded.state, resident_id), now=now)
    await needs_store.remember_erased_id_number(tx.raw, resident_id, now)
    await Vault.erase(tx.raw, resident_id)
    return await _stop_serving(tx, resident_id, ERASED, now)


async def _stop_serving(tx: Transaction, resident_id: UUID, reason: str, now: datetime) -> Stopped:
    stopped = Stopped()
    for wish_id in await queries.live_wishes_of(tx.raw, resident_id):
        held = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        cancelled = wish.cancel(held.state, wish_id, reason)
        await tx.append(held.version, cancelled, now=now)
        await wish_commands.follow_need(tx, held.state, cancelled, now)
        stopped.cancelled_wishes.append(wish_id)
    for need_id in await queries.open_needs_of(tx.raw, resident_id):
        listed = await load(tx, "need", str(need_id), need.evolve)
        closing = need.resolve(listed.state, need_id, NeedOutcome.closed, reason)
        await tx.append(listed.version, closing, now=now)
        stopped.closed_needs.append(need_id)
    return stopped


async def find_residents(
    store: EventStore, vault: Vault, command: FindResidents, street: str | None = None
) -> list[UUID]:
    """The residents whose personal data matches, through the blind index (nobody decrypted),
    the first `MATCHES` by id; with `street`, of those living on it (a common name's matches
    elsewhere in the office do not crowd out the street's)."""
    async with store.connection() as db:
        if street is None:
            return await vault.find(db, command.fields())
        found = await vault.find(db, command.fields(), limit=None)
        return sorted(await queries.living_on(db, found, street))[:MATCHES]


async def get_resident(
    store: EventStore,
    vault: Vault,
    resident_id: UUID,
    *,
    shown_to: UUID | None,
    purpose: str = "resident record",
) -> tuple[resident.Resident, dict[str, Any] | None]:
    """The resident, and their personal data when it is to be shown to the token `shown_to`
    (which the read log records)."""
    async with store.transaction() as tx:
        loaded = await load(tx, "resident", str(resident_id), resident.evolve)
        if loaded.state is None:
            raise NotFound("resident", resident_id)
        personal = (
            await vault.disclose(tx.raw, resident_id, to=shown_to, purpose=purpose)
            if shown_to
            else None
        )
    return loaded.state, personal

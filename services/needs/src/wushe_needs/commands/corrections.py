"""Correcting a resident's record (更正): groups, birth, personal data, and a move to another
community, with the open needs and live wishes that follow them there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from wushe_events.aggregate import load, load_timed, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.base import ShortName, Slug
from wushe_events.catalogue.needs import (
    ResidentField,
    ResidentMoved,
    ResidentUpdated,
    TargetGroup,
)
from wushe_events.errors import RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_needs import queries
from wushe_needs import store as needs_store
from wushe_needs.commands import Command, duplicates
from wushe_needs.commands.residents import birth_of, same_birth_year
from wushe_needs.domain import community, need, resident, wish
from wushe_needs.domain.correction import Correction, correct
from wushe_service import field_rules
from wushe_service.identity import IdNumber, PhoneNumber
from wushe_service.personal_data import AlreadyRegistered, Vault

PERSONAL = ("name", "id_number", "phone", "address", "notes", "birth_year")  # sealed
IDENTIFYING = ("name", "id_number", "phone", "birth_year")  # what tells namesakes apart


class CorrectResident(Command):
    """Only the fields given change; `null` clears id_number, phone, address or notes."""

    community_id: Slug | None = Field(
        None, description="a move: their open needs and live wishes go with them"
    )
    groups: list[TargetGroup] | None = Field(None, min_length=1)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    name: ShortName | None = None
    id_number: IdNumber | None = None
    phone: PhoneNumber | None = None
    address: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=2000)
    not_a_duplicate: bool = Field(
        False,
        description="a different person of the same name as a resident of the community with "
        "the same birth year or phone (else 409 possible_duplicate)",
    )

    @field_validator("community_id", "groups", "birth_year", "name")
    @classmethod
    def _corrected_not_cleared(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("a resident always has one: correct it, never clear it")
        return value

    @model_validator(mode="after")
    def _something_to_correct(self) -> CorrectResident:
        if not self.model_fields_set - {"not_a_duplicate"}:
            raise field_rules.broken(
                "name",
                "nothing_to_correct",
                "give at least one field to correct: name, birth_year, id_number, phone, "
                "address, notes, groups or community_id",
            )
        return self

    def personal_data(self, sealed: dict[str, Any]) -> dict[str, Any]:
        """The sealed personal data as corrected: the fields given replace theirs."""
        given = {f: getattr(self, f) for f in PERSONAL if f in self.model_fields_set}
        return {k: v for k, v in (sealed | given).items() if v is not None}


@dataclass(frozen=True)
class Corrected:
    """What changed (field names only), and which needs and wishes moved with the resident."""

    changed: list[str] = field(default_factory=list)
    moved_needs: list[UUID] = field(default_factory=list)
    moved_wishes: list[UUID] = field(default_factory=list)


async def correct_resident(
    store: EventStore, vault: Vault, resident_id: UUID, command: CorrectResident, now: datetime
) -> Corrected:
    async def work(tx: Transaction) -> Corrected:
        await needs_store.lock_resident(tx.raw, resident_id)  # a survey or wish under way first
        loaded = await load(tx, "resident", str(resident_id), resident.evolve)
        current = resident.existing(loaded.state, resident_id)
        sealed = await vault.read(tx.raw, resident_id) or {}
        personal = command.personal_data(sealed)
        fix = await _correction(tx, resident_id, command, sealed, personal)
        events = correct(loaded.state, resident_id, fix, now)
        where = command.community_id or current.community_id
        if _may_duplicate(command, sealed, personal, where != current.community_id):
            await duplicates.check_not_registered(tx, vault, resident_id, where, personal)
        await tx.append(loaded.version, events, now=now)
        if fix.personal:
            await _reseal(vault, tx, resident_id, personal)
        return await _done(tx, resident_id, events, now)

    return await transacting(store, work)


def _may_duplicate(
    command: CorrectResident, sealed: dict[str, Any], personal: dict[str, Any], moved: bool
) -> bool:
    """Whether the corrected record may now be another resident's (a name, phone, birth or
    community that changed), unless the social worker said it is not."""
    changed = any(personal.get(f) != sealed.get(f) for f in IDENTIFYING)
    return bool(personal.get("name")) and (changed or moved) and not command.not_a_duplicate


async def _correction(
    tx: Transaction,
    resident_id: UUID,
    command: CorrectResident,
    sealed: dict[str, Any],
    personal: dict[str, Any],
) -> Correction:
    given = command.model_fields_set
    if {"id_number", "birth_year"} & given:
        same_birth_year(
            personal, "birth_year differs from the birth date in id_number: correct both"
        )
    where = None
    if command.community_id is not None:
        where = (await load(tx, "community", command.community_id, community.evolve)).state
    return Correction(
        groups=tuple(command.groups) if command.groups else None,
        community_id=command.community_id,
        community=where,
        personal=tuple(ResidentField(f) for f in PERSONAL if personal.get(f) != sealed.get(f)),
        birth=birth_of(personal),
        birth_changed=birth_of(personal) != birth_of(sealed),
        first_surveyed=await queries.first_surveyed(tx.raw, resident_id),
    )


async def _reseal(
    vault: Vault, tx: Transaction, resident_id: UUID, personal: dict[str, Any]
) -> None:
    """Under the resident's own data key; sealed afresh for one who had none stored yet."""
    try:
        if not await vault.reseal(tx.raw, resident_id, personal):
            await vault.save(tx.raw, resident_id, personal)
    except AlreadyRegistered as clash:
        raise RuleBroken(
            "resident_exists",
            f"a resident with this ID number is already registered: {clash.subject_id}",
            {"duplicate_of": str(clash.subject_id)},
        ) from None


async def _done(
    tx: Transaction, resident_id: UUID, events: list[Event], now: datetime
) -> Corrected:
    """What the answer says; the needs and wishes that follow a resident who moved."""
    done = Corrected()
    for event in events:
        match event:
            case ResidentUpdated():
                done.changed.extend(event.changed)
            case ResidentMoved():
                done.changed.append("community_id")
                await _follow(tx, resident_id, event.community_id, now, done)
    return done


async def _follow(
    tx: Transaction, resident_id: UUID, to: str, now: datetime, done: Corrected
) -> None:
    """The resident's live wishes and open needs go with them: the new community's social
    workers serve them now, and a wish stays on the board of the list its need is on."""
    for wish_id in await queries.live_wishes_of(tx.raw, resident_id):
        held = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        if await tx.append(held.version, wish.move(held.state, wish_id, to), now=now):
            done.moved_wishes.append(wish_id)
    for need_id in await queries.open_needs_of(tx.raw, resident_id):
        listed = await load(tx, "need", str(need_id), need.evolve)
        if await tx.append(listed.version, need.move(listed.state, need_id, to), now=now):
            done.moved_needs.append(need_id)

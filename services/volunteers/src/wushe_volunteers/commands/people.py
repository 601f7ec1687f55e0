"""Volunteers, teams and their members, pairings (一校两社) and sites (阵地)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import Field, model_validator

from wushe_events.aggregate import change, load, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.base import ShortName, Slug
from wushe_events.catalogue.volunteers import Certification, MemberRole, SiteKind, TeamKind
from wushe_events.errors import NotFound
from wushe_events.store import ConcurrencyError, EventStore, Transaction
from wushe_service import communities, field_rules
from wushe_service.identity import PhoneNumber, PublicName
from wushe_service.personal_data import Vault
from wushe_volunteers import notes
from wushe_volunteers import store as tables
from wushe_volunteers.commands import Command, Skill
from wushe_volunteers.domain import activity, place, team, volunteer


class RegisterVolunteer(Command):
    name: ShortName
    phone: PhoneNumber
    community_id: Slug
    skills: list[Skill] = Field(default_factory=list, max_length=30)
    certification: Certification = Certification.none
    certificate_number: str | None = Field(None, max_length=50)
    # Shown on the wish board and sent on the bus (never on a certificate or its check).
    display_name: PublicName | None = Field(None, description="a public name, e.g. 李志愿者")
    show_name_publicly: bool = Field(False, description="consent to publish display_name")

    @model_validator(mode="after")
    def _certified_have_a_certificate(self) -> RegisterVolunteer:
        if self.certification is not Certification.none and not self.certificate_number:
            raise field_rules.broken(
                "certificate_number", "certificate_number_required", "required with a certification"
            )
        return self

    @model_validator(mode="after")
    def _a_name_to_show(self) -> RegisterVolunteer:
        # As the join form: a consent to show nothing would be recorded and shown as given.
        if self.show_name_publicly and not self.display_name:
            raise field_rules.broken(
                "show_name_publicly",
                "display_name_required",
                "give the display_name to be shown publicly, or leave show_name_publicly false",
            )
        return self

    def personal_data(self) -> dict[str, Any]:
        return self.model_dump(include={"name", "phone", "certificate_number"}, exclude_none=True)


class FindVolunteers(Command):
    """Whom a coordinator looks for: name, phone or both (both must match)."""

    name: ShortName | None = None
    phone: PhoneNumber | None = None

    @model_validator(mode="after")
    def _something_to_find(self) -> FindVolunteers:
        if not (self.name or self.phone):
            raise field_rules.broken("name", "nothing_to_find", "give name or phone (either)")
        return self


async def find_volunteers(store: EventStore, vault: Vault, command: FindVolunteers) -> list[UUID]:
    """The volunteers whose personal data matches, through the blind index."""
    async with store.connection() as db:
        return await vault.find(db, command.model_dump(exclude_none=True))


class RegisterTeam(Command):
    kind: TeamKind
    name: PublicName


class AddMember(Command):
    volunteer_id: UUID
    role: MemberRole = MemberRole.member


class EstablishPairing(Command):
    university_team_id: UUID
    social_org_team_id: UUID
    community_id: Slug


class RegisterSite(Command):
    kind: SiteKind
    name: PublicName
    community_id: Slug


async def register_volunteer(
    store: EventStore, vault: Vault, command: RegisterVolunteer, now: datetime
) -> UUID:
    async with store.transaction() as tx:
        return await register_in(tx, vault, command, now)


async def register_in(
    tx: Transaction,
    vault: Vault,
    command: RegisterVolunteer,
    now: datetime,
    application_id: UUID | None = None,
    volunteer_id: UUID | None = None,
) -> UUID:
    """Register the volunteer in the caller's transaction (an accepted application's too)."""
    volunteer_id = volunteer_id or uuid4()
    events = volunteer.register(
        volunteer_id,
        command.community_id,
        command.skills,
        command.certification,
        command.display_name,
        command.show_name_publicly,
        application_id,
    )
    await communities.known(tx.raw, command.community_id)
    volunteer.one_per_phone(await _same_phone(tx, vault, command.phone))
    await tx.append(0, events, now=now)
    await vault.save(tx.raw, volunteer_id, command.personal_data())
    return volunteer_id


async def _same_phone(tx: Transaction, vault: Vault, phone: str) -> list[volunteer.Volunteer]:
    """The volunteers registered with this phone, found through the blind index; a lock on
    the number's digest (no personal data in it) serialises two registrations of it."""
    digest = vault.digest("phone", phone).hex()
    await tx.raw.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"volunteer-phone:{digest}"
    )
    found = [
        await load(tx, "volunteer", str(other), volunteer.evolve)
        for other in await vault.find(tx.raw, {"phone": phone})
    ]
    return [one.state for one in found if one.state is not None]


async def change_status(
    store: EventStore, volunteer_id: UUID, verb: str, now: datetime | None = None
) -> None:
    """`now`: when it happened (a suspension's time decides which attendance still counts)."""
    decide = {"suspend": volunteer.suspend, "reactivate": volunteer.reactivate}[verb]

    await change(
        store,
        "volunteer",
        str(volunteer_id),
        volunteer.evolve,
        lambda state: decide(state, volunteer_id),
        now=now,
    )


async def _leave(
    tx: Transaction,
    volunteer_id: UUID,
    decide: Callable[[volunteer.Volunteer | None], list[Event]],
    now: datetime,
) -> list[UUID]:
    """A withdrawal or erasure, which gives back the volunteer's places in the activities to
    come (the activities returned). Streams load before the lock (the first write); the
    places are read again under it, and a sign-up that slipped in between has the command
    run again."""
    loaded = await load(tx, "volunteer", str(volunteer_id), volunteer.evolve)
    events = decide(loaded.state)
    to_come = await tables.signups_to_come(tx.raw, volunteer_id, now)
    held = [await load(tx, "activity", str(a), activity.evolve) for a in to_come]
    await tables.lock_volunteer(tx.raw, volunteer_id)
    if await tables.signups_to_come(tx.raw, volunteer_id, now) != to_come:
        raise ConcurrencyError("volunteer", str(volunteer_id), loaded.version)
    await tx.append(loaded.version, events, now=now)
    for activity_id, scheduled in zip(to_come, held, strict=True):
        released = activity.release(scheduled.state, activity_id, volunteer_id, now)
        await tx.append(scheduled.version, released, now=now)
    return list(to_come)


async def withdraw(store: EventStore, volunteer_id: UUID, now: datetime) -> list[UUID]:
    """The activities to come whose places the volunteer gave back."""
    return await transacting(
        store,
        lambda tx: _leave(
            tx, volunteer_id, lambda state: volunteer.withdraw(state, volunteer_id), now
        ),
    )


async def erase_personal_data(store: EventStore, volunteer_id: UUID, now: datetime) -> list[UUID]:
    """Crypto-shred: the volunteer's data key is destroyed with the `erased` event, at once;
    the activities to come whose places they gave back."""

    async def work(tx: Transaction) -> list[UUID]:
        released = await _leave(
            tx, volunteer_id, lambda state: volunteer.erase(state, volunteer_id), now
        )
        await Vault.erase(tx.raw, volunteer_id)
        await notes.forget_volunteer(tx.raw, volunteer_id)
        return released

    return await transacting(store, work)


async def get_volunteer(
    store: EventStore,
    vault: Vault,
    volunteer_id: UUID,
    *,
    shown_to: UUID | None,
    purpose: str = "volunteer record",
) -> tuple[volunteer.Volunteer, dict[str, Any] | None]:
    """The volunteer, and their personal data when it is to be shown to the token `shown_to`
    (which the read log records)."""
    async with store.transaction() as tx:
        loaded = await load(tx, "volunteer", str(volunteer_id), volunteer.evolve)
        if loaded.state is None:
            raise NotFound("volunteer", volunteer_id)
        personal = (
            await vault.disclose(tx.raw, volunteer_id, to=shown_to, purpose=purpose)
            if shown_to
            else None
        )
    return loaded.state, personal


async def register_team(store: EventStore, command: RegisterTeam, caller: team.Caller) -> UUID:
    """A coordinator (not an admin) who registers a team is its first coordinator."""
    team_id = uuid4()
    founder_id = None if caller.admin else caller.person_id
    async with store.transaction() as tx:
        founder = None
        if founder_id is not None:
            founder = (await load(tx, "volunteer", str(founder_id), volunteer.evolve)).state
        events = team.register(team_id, command.kind, command.name, founder, founder_id)
        await tx.append(0, events)
    return team_id


async def add_member(
    store: EventStore, team_id: UUID, command: AddMember, caller: team.Caller
) -> None:
    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "team", str(team_id), team.evolve)
        member = await load(tx, "volunteer", str(command.volunteer_id), volunteer.evolve)
        events = team.add_member(
            loaded.state, team_id, member.state, command.volunteer_id, command.role, caller
        )
        await tx.append(loaded.version, events)

    await transacting(store, work)


async def remove_member(
    store: EventStore, team_id: UUID, volunteer_id: UUID, caller: team.Caller
) -> None:
    await change(
        store,
        "team",
        str(team_id),
        team.evolve,
        lambda state: team.remove_member(state, team_id, volunteer_id, caller),
    )


async def establish_pairing(store: EventStore, command: EstablishPairing) -> UUID:
    the_id = place.pairing_id(
        command.university_team_id, command.social_org_team_id, command.community_id
    )
    async with store.transaction() as tx:
        await communities.known(tx.raw, command.community_id)
        university = await load(tx, "team", str(command.university_team_id), team.evolve)
        social_org = await load(tx, "team", str(command.social_org_team_id), team.evolve)
        existing = await load(tx, "pairing", str(the_id), place.evolve_pairing)
        events = place.establish(
            existing.state,
            university.state,
            command.university_team_id,
            social_org.state,
            command.social_org_team_id,
            command.community_id,
        )
        # Expected version 0: of two racing requests for one triple, one gets a conflict.
        await tx.append(0, events)
    return the_id


async def register_site(store: EventStore, command: RegisterSite) -> UUID:
    site_id = uuid4()
    async with store.transaction() as tx:
        await communities.known(tx.raw, command.community_id)
        await tx.append(
            0, place.register_site(site_id, command.kind, command.name, command.community_id)
        )
    return site_id

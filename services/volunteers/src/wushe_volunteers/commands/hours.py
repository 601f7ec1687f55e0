"""Service hours (verify, decline, correct; from fulfilled wishes) and certificates."""

from __future__ import annotations

import uuid
from datetime import datetime, tzinfo
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import AfterValidator, Field

from wushe_events.aggregate import load, transacting
from wushe_events.catalogue.volunteers import Hours, HoursSource
from wushe_events.errors import NotFound
from wushe_events.store import EventStore, Transaction
from wushe_service.personal_data import Vault
from wushe_service.service_hours import by_the_quarter
from wushe_volunteers import notes
from wushe_volunteers import store as tables
from wushe_volunteers.commands import Command, ReasonCode
from wushe_volunteers.domain import activity, certificate, hours, team, volunteer

_WISH_HOURS = uuid.UUID("0b6f4f0e-2a3d-4c61-8f1e-5d7a9c3b2e14")
DEFAULT_WISH_HOURS = 1.0


class Judge(Command):
    coordinator_id: UUID | None = Field(
        None, description="the volunteer id of a coordinator of the organising team"
    )


class Decline(Judge):
    reason: ReasonCode = "other"
    note: notes.Note | None = None


class Correct(Judge):
    # Typed at the desk, so by the quarter hour; recorded hours (from check-in and check-out,
    # or from before the rule) keep theirs until corrected.
    hours: Annotated[Hours, AfterValidator(by_the_quarter)] = Field(
        description="the right hours, by the quarter hour (0.25, 0.5, 1.5)"
    )
    reason: ReasonCode = "other"
    note: notes.Note | None = None


async def _judging_teams(tx: Transaction, record: hours.HoursRecord | None) -> list[team.Team]:
    """The organising team of activity hours; the volunteer's teams for wish hours."""
    if record is None:
        return []
    team_ids = (
        [record.team_id]
        if record.team_id is not None
        else await tables.teams_of(tx.raw, record.volunteer_id)
    )
    loaded = [(await load(tx, "team", str(team_id), team.evolve)).state for team_id in team_ids]
    return [one for one in loaded if one is not None]


async def _judge(  # type: ignore[no-untyped-def]
    store: EventStore,
    record_id: UUID,
    decide,
    note: tuple[Vault, notes.NoteKind, str | None] | None = None,
) -> None:
    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "hours", str(record_id), hours.evolve)
        teams = await _judging_teams(tx, loaded.state)
        longest = None
        if loaded.state is not None and loaded.state.source is HoursSource.activity:
            source = await load(tx, "activity", str(loaded.state.source_id), activity.evolve)
            longest = source.state.length if source.state is not None else None
        await tx.append(loaded.version, decide(loaded.state, teams, longest))
        vault, kind, text = note if note is not None else (None, None, None)
        if vault is not None and kind is not None and text is not None and loaded.state:
            await notes.add_about_volunteer(
                vault, tx.raw, loaded.state.volunteer_id, record_id, kind, text, loaded.version + 1
            )

    await transacting(store, work)


async def verify(store: EventStore, record_id: UUID, command: Judge, caller: team.Caller) -> None:
    await _judge(
        store,
        record_id,
        lambda record, teams, _longest: hours.verify(
            record, record_id, teams, command.coordinator_id, caller
        ),
    )


async def decline(
    store: EventStore, vault: Vault, record_id: UUID, command: Decline, caller: team.Caller
) -> None:
    await _judge(
        store,
        record_id,
        lambda record, teams, _longest: hours.decline(
            record, record_id, teams, command.coordinator_id, caller, command.reason
        ),
        (vault, notes.NoteKind.declined, command.note),
    )


async def correct(
    store: EventStore, vault: Vault, record_id: UUID, command: Correct, caller: team.Caller
) -> None:
    await _judge(
        store,
        record_id,
        lambda record, teams, longest: hours.correct(
            record,
            record_id,
            teams,
            command.coordinator_id,
            caller,
            command.hours,
            command.reason,
            longest,
        ),
        (vault, notes.NoteKind.corrected, command.note),
    )


def wish_record_id(wish_id: UUID, volunteer_id: UUID) -> UUID:
    """One record per fulfilled wish and volunteer: its stream can only be started once."""
    return uuid.uuid5(_WISH_HOURS, f"{wish_id}/{volunteer_id}")


async def record_wish_hours(
    tx: Transaction, wish_id: UUID, volunteer_id: UUID, hours_spent: float | None
) -> None:
    """Pending hours for a fulfilled micro-wish, in the consumer's transaction; NotFound
    when no such volunteer is registered here."""
    record_id = wish_record_id(wish_id, volunteer_id)
    loaded = await load(tx, "hours", str(record_id), hours.evolve)
    who = await load(tx, "volunteer", str(volunteer_id), volunteer.evolve)
    if who.state is None:
        raise NotFound("volunteer", volunteer_id)
    events = hours.record_from_wish(
        loaded.state, record_id, volunteer_id, wish_id, hours_spent or DEFAULT_WISH_HOURS
    )
    await tx.append(loaded.version, events)


async def verify_wish_hours(
    tx: Transaction, wish_id: UUID, confirmed_at: datetime, confirmed_by: UUID | None = None
) -> int:
    """The pending hours of a micro-wish a social worker confirmed, verified, in the
    consumer's transaction; how many. The wish is kept as confirmed: hours corrected later
    await a coordinator's review, not the confirmation."""
    await tables.wish_confirmed(tx.raw, wish_id, confirmed_at)
    verified = 0
    for record_id in await tables.wish_records(tx.raw, wish_id):
        loaded = await load(tx, "hours", str(record_id), hours.evolve)
        events = hours.verify_confirmed_wish(loaded.state, confirmed_by)
        await tx.append(loaded.version, events)
        verified += len(events)
    return verified


async def issue_certificate(
    store: EventStore, volunteer_id: UUID, prefix: str, now: datetime, office_time: tzinfo
) -> UUID:
    """Numbered in the year's register: the year in the office, not in UTC (a certificate
    issued on the morning of 1 January in Beijing is of the new year)."""
    certificate_id = uuid4()
    year = now.astimezone(office_time).year

    async def work(tx: Transaction) -> None:
        register = await tx.load("certificate", str(year))
        who = await load(tx, "volunteer", str(volunteer_id), volunteer.evolve)
        if who.state is None:
            raise NotFound("volunteer", volunteer_id)
        records = await tables.verified_records(tx.raw, volunteer_id)
        events = certificate.issue(
            len(register), year, prefix, certificate_id, volunteer_id, records
        )
        await tx.append(len(register), events, now=now)

    await transacting(store, work, attempts=20)
    return certificate_id

"""Activities: schedule, sign up (capacity, no overlaps), withdraw, cancel, attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import Field

from wushe_events.aggregate import Loaded, change, load, load_timed, transacting
from wushe_events.catalogue.base import Slug, UtcDatetime
from wushe_events.catalogue.vocabulary import NeedCategory
from wushe_events.catalogue.volunteers import SignupAccepted
from wushe_events.errors import InvalidReference
from wushe_events.store import ConcurrencyError, EventStore, Transaction
from wushe_service import communities, names
from wushe_service.identity import PublicTitle
from wushe_service.personal_data import Vault
from wushe_volunteers import notes, queries
from wushe_volunteers import store as tables
from wushe_volunteers.commands import Command, ReasonCode
from wushe_volunteers.domain import activity, place, team, titles, volunteer


class ScheduleActivity(Command):
    team_id: UUID
    community_id: Slug
    site_id: UUID | None = None
    title: PublicTitle
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    capacity: int = Field(gt=0, le=10_000)
    need_categories: list[NeedCategory] = Field(default_factory=list, max_length=20)
    need_ids: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description="needs of the community needs list it serves: the needs service matches "
        "those still open to the activity",
    )


class SignUp(Command):
    volunteer_id: UUID


class CancelActivity(Command):
    reason: ReasonCode | None = None
    note: notes.Note | None = None


class RecordAttendance(Command):
    volunteer_id: UUID
    checked_in_at: UtcDatetime
    checked_out_at: UtcDatetime


class EnterAttendance(RecordAttendance):
    """Attendance entered after the fact (补录), from a paper sign-in sheet say: the times as
    written, within the activity's; the volunteer may have walked in without signing up."""

    over_capacity_reason: ReasonCode | None = Field(
        None,
        description="a walk-in beyond the activity's capacity, and why, as a code (walk-in, "
        "paper-sheet); without it a full activity takes no walk-in",
    )
    note: notes.Note | None = Field(
        None,
        description="in words, e.g. 据社工站纸质签到表补录: sealed as the volunteer's personal "
        "data, shown with the hours to coordinators and admins",
    )


async def schedule(
    store: EventStore,
    vault: Vault,
    command: ScheduleActivity,
    now: datetime,
    *,
    caller: team.Caller,
) -> UUID:
    activity_id = uuid4()
    titles.check(command.title)
    async with store.transaction() as tx:
        await communities.known(tx.raw, command.community_id)
        await _names_nobody(vault, tx, command.title)
        organiser = await load(tx, "team", str(command.team_id), team.evolve)
        site = None
        if command.site_id is not None:
            site = (await load(tx, "site", str(command.site_id), place.evolve_site)).state
        events = activity.schedule(
            activity_id,
            organiser.state,
            command.team_id,
            site,
            command.site_id,
            command.community_id,
            command.title,
            command.starts_at,
            command.ends_at,
            command.capacity,
            command.need_categories,
            caller,
            now,
            need_ids=command.need_ids,
        )
        await tx.append(0, events, now=now)
    return activity_id


async def _names_nobody(vault: Vault, tx: Transaction, title: str) -> None:
    """An activity's title is public (the bus, the board): one that names a volunteer of the
    office is refused. Every run of two to four Han characters in it is looked up in the
    blind index of names, in one query, nobody's data opened; the message never repeats what
    it found. Erased volunteers' names are gone with their key: not checkable."""
    if await vault.holders(tx.raw, "name", names.possible_names(title)):
        raise InvalidReference("title", titles.NAMES_A_VOLUNTEER, code="title_names_a_volunteer")


async def _still(tx: Transaction, who: Loaded[volunteer.Volunteer]) -> None:
    """Lock the volunteer's row, and decide again if their status changed since they were
    loaded: a withdrawal that commits meanwhile is seen, never overtaken."""
    assert who.state is not None
    status = await tables.lock_volunteer(tx.raw, who.state.volunteer_id)
    if status != who.state.status:
        raise ConcurrencyError("volunteer", str(who.state.volunteer_id), who.version)


async def sign_up(
    store: EventStore, activity_id: UUID, command: SignUp, now: datetime, *, no_show_limit: int = 0
) -> None:
    """The activity's stream version guards its capacity; a lock on the volunteer's row
    serialises their sign-ups, so that two overlapping ones cannot both pass. A volunteer who
    missed `no_show_limit` activities in the last 90 days is refused (0: no limit)."""

    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "activity", str(activity_id), activity.evolve)
        who = await load(tx, "volunteer", str(command.volunteer_id), volunteer.evolve)
        clashes: list[UUID] = []
        if loaded.state is not None and who.state is not None:
            await _still(tx, who)
            clashes = await tables.overlapping(
                tx.raw,
                command.volunteer_id,
                activity_id,
                loaded.state.starts_at,
                loaded.state.ends_at,
            )
        events = activity.sign_up(
            loaded.state, activity_id, who.state, command.volunteer_id, clashes, now
        )
        if no_show_limit:
            missed = await tables.no_shows(tx.raw, command.volunteer_id, now)
            activity.within_no_show_limit(command.volunteer_id, missed, no_show_limit, now)
        await tx.append(loaded.version, events, now=now)

    await transacting(store, work, attempts=60)


async def withdraw_signup(
    store: EventStore, activity_id: UUID, volunteer_id: UUID, now: datetime
) -> None:
    await change(
        store,
        "activity",
        str(activity_id),
        activity.evolve,
        lambda state: activity.withdraw_signup(state, activity_id, volunteer_id, now),
        now=now,
    )


async def _organiser(tx: Transaction, scheduled: activity.Activity | None) -> team.Team | None:
    if scheduled is None:
        return None
    return (await load(tx, "team", str(scheduled.team_id), team.evolve)).state


async def cancel(
    store: EventStore,
    activity_id: UUID,
    command: CancelActivity,
    now: datetime,
    *,
    caller: team.Caller,
) -> None:
    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "activity", str(activity_id), activity.evolve)
        organiser = await _organiser(tx, loaded.state)
        events = activity.cancel(loaded.state, activity_id, organiser, caller, command.reason, now)
        await tx.append(loaded.version, events, now=now)
        if command.note is not None:
            await notes.add(tx.raw, activity_id, notes.NoteKind.cancelled, command.note)

    await transacting(store, work)


async def record_attendance(
    store: EventStore,
    activity_id: UUID,
    command: RecordAttendance,
    now: datetime,
    *,
    caller: team.Caller,
) -> UUID:
    """The hours record (pending). The lock on the volunteer's row serialises their
    attendance, so that two overlapping check-ins at two activities cannot both pass."""
    record_id = uuid4()

    async def work(tx: Transaction) -> None:
        loaded = await load(tx, "activity", str(activity_id), activity.evolve)
        organiser = await _organiser(tx, loaded.state)
        who = await load_timed(tx, "volunteer", str(command.volunteer_id), volunteer.evolve_timed)
        elsewhere: list[UUID] = []
        if who.state is not None:
            await _still(tx, who)
            elsewhere = await tables.attended_overlapping(
                tx.raw,
                command.volunteer_id,
                activity_id,
                command.checked_in_at,
                command.checked_out_at,
            )
        attended = activity.record_attendance(
            loaded.state,
            activity_id,
            organiser,
            caller,
            who.state,
            command.volunteer_id,
            command.checked_in_at,
            command.checked_out_at,
            elsewhere,
            record_id,
            now,
        )
        await tx.append(loaded.version, attended.activity, now=now)
        await tx.append(0, attended.hours, now=now)

    await transacting(store, work)
    return record_id


async def enter_attendance(
    store: EventStore,
    vault: Vault,
    activity_id: UUID,
    command: EnterAttendance,
    now: datetime,
    *,
    caller: team.Caller,
) -> tuple[UUID, bool, bool]:
    """The hours record (pending), whether the volunteer walked in, and whether beyond
    capacity. The activity's stream version guards its capacity; the lock on the volunteer's
    row serialises their attendance, so that two overlapping entries cannot both pass."""
    record_id = uuid4()

    async def work(tx: Transaction) -> tuple[UUID, bool, bool]:
        loaded = await load(tx, "activity", str(activity_id), activity.evolve)
        organiser = await _organiser(tx, loaded.state)
        who = await load_timed(tx, "volunteer", str(command.volunteer_id), volunteer.evolve_timed)
        elsewhere: list[UUID] = []
        if who.state is not None:
            await _still(tx, who)
            elsewhere = await tables.attended_overlapping(
                tx.raw,
                command.volunteer_id,
                activity_id,
                command.checked_in_at,
                command.checked_out_at,
            )
        entered = activity.enter_attendance(
            loaded.state,
            activity_id,
            organiser,
            caller,
            who.state,
            command.volunteer_id,
            command.checked_in_at,
            command.checked_out_at,
            command.over_capacity_reason,
            elsewhere,
            record_id,
            now,
        )
        await tx.append(loaded.version, entered.activity, now=now)
        await tx.append(0, entered.hours, now=now)
        if command.note is not None:
            await notes.add_about_volunteer(
                vault,
                tx.raw,
                command.volunteer_id,
                record_id,
                notes.NoteKind.entered,
                command.note,
                1,
            )
        place = [e for e in entered.activity if isinstance(e, SignupAccepted)]
        return record_id, bool(place), bool(place and place[0].over_capacity_reason)

    return await transacting(store, work)


async def roster(
    store: EventStore,
    vault: Vault,
    activity_id: UUID,
    caller: team.Caller,
    *,
    shown_to: UUID | None,
) -> list[dict[str, Any]]:
    """Who signed up for the activity, for its organisers; with each volunteer's name when
    it is to be shown to the token `shown_to` (the read log records each one, in this
    transaction)."""
    async with store.transaction() as tx:
        loaded = await load(tx, "activity", str(activity_id), activity.evolve)
        activity.organised(loaded.state, activity_id, await _organiser(tx, loaded.state), caller)
        signups = await queries.activity_signups(tx.raw, activity_id)
        for signup in signups if shown_to else ():
            assert shown_to is not None
            personal = await vault.disclose(
                tx.raw, signup["volunteer_id"], to=shown_to, purpose="activity signups"
            )
            signup["name"] = (personal or {}).get("name")
    return signups

"""Service hours: lists; verification, decline and correction by the organiser."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter

from wushe_service.api import AnyRole, Db, Principal, Role, Store, VaultDep, acting_as, require
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.personal_data import Vault
from wushe_volunteers import notes, queries
from wushe_volunteers.api.caller import caller
from wushe_volunteers.commands import hours as commands
from wushe_volunteers.domain.hours import HoursState

router = APIRouter(tags=["hours"])
Coordinator = Annotated[Principal, require(Role.coordinator)]
# Hours are judged by a coordinator of the organising team (谁组织谁记录), as the person their
# token names; an admin may name the coordinator. Nobody judges their own hours.
_JUDGES = frozenset({Role.coordinator})
_JUDGES_RULE = (
    "only an admin may judge hours as another coordinator: a coordinator's token judges them as "
    "the coordinator it names"
)
JudgeT = TypeVar("JudgeT", bound=commands.Judge)


def _as_judge(who: Principal, body: JudgeT) -> JudgeT:
    coordinator = acting_as(who, body.coordinator_id, "coordinator_id", _JUDGES, rule=_JUDGES_RULE)
    return body.model_copy(update={"coordinator_id": coordinator})


_STAFF = frozenset({Role.coordinator, Role.admin})


def _notes_for(who: Principal, volunteer_id: UUID) -> frozenset[notes.NoteKind]:
    """Coordinators and admins read the notes; the volunteer, why their hours were declined."""
    if who.role in _STAFF:
        return frozenset(
            {notes.NoteKind.declined, notes.NoteKind.corrected, notes.NoteKind.entered}
        )
    if who.person_id == volunteer_id:
        return frozenset({notes.NoteKind.declined})
    return frozenset()


async def _view(store: Any, vault: Vault, record_id: UUID, who: Principal) -> dict[str, Any]:
    """The record; with the notes on it that `who` may read (the read log notes it, in the
    same transaction)."""
    async with store.transaction() as tx:
        record = await queries.hours_record(tx.raw, record_id)
        kinds = _notes_for(who, record["volunteer_id"])
        shown = (
            await notes.about_volunteer(
                vault, tx.raw, record["volunteer_id"], record_id, kinds, to=who.token_id
            )
            if kinds
            else []
        )
        return record | {"notes": shown}


@router.get("/hours", summary="Hours records, oldest first, by volunteer, team and state")
async def list_hours(
    db: Db,
    _who: AnyRole,
    volunteer_id: UUID | None = None,
    team_id: UUID | None = None,
    state: HoursState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    return await queries.hours(
        db, volunteer_id=volunteer_id, team_id=team_id, state=state, limit=limit, cursor=cursor
    )


@router.get("/hours/{record_id}", summary="One hours record")
async def get_hours(record_id: UUID, store: Store, vault: VaultDep, who: AnyRole) -> dict[str, Any]:
    return await _view(store, vault, record_id, who)


@router.post("/hours/{record_id}/verify", summary="Verify pending hours (a team coordinator)")
async def verify(
    record_id: UUID,
    store: Store,
    vault: VaultDep,
    who: Coordinator,
    # No body, as DESIGN §5 calls the verb: a coordinator's token then judges as its person.
    body: commands.Judge | None = None,
) -> dict[str, Any]:
    await commands.verify(store, record_id, _as_judge(who, body or commands.Judge()), caller(who))
    return await _view(store, vault, record_id, who)


@router.post(
    "/hours/{record_id}/decline", summary="Decline hours, with a reason code and a note in words"
)
async def decline(
    record_id: UUID, body: commands.Decline, store: Store, vault: VaultDep, who: Coordinator
) -> dict[str, Any]:
    await commands.decline(store, vault, record_id, _as_judge(who, body), caller(who))
    return await _view(store, vault, record_id, who)


@router.post(
    "/hours/{record_id}/correct",
    summary="Correct the hours, with a reason code and a note in words (pending again "
    "until verified)",
)
async def correct(
    record_id: UUID, body: commands.Correct, store: Store, vault: VaultDep, who: Coordinator
) -> dict[str, Any]:
    await commands.correct(store, vault, record_id, _as_judge(who, body), caller(who))
    return await _view(store, vault, record_id, who)

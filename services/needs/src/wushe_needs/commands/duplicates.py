"""Residents registered twice (a second record of one person): looked for by name through the
blind index, told apart by birth year, phone and ID number, one name at a time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wushe_events.store import Transaction
from wushe_needs import queries, store
from wushe_needs.domain import resident
from wushe_service.identity import birth_date
from wushe_service.personal_data import Vault


def namesake(resident_id: UUID, personal: dict[str, Any]) -> resident.Namesake:
    """The resident as the duplicate check sees them: the birth year of a valid ID number
    first (the year of an old record may be missing)."""
    id_number = personal.get("id_number")
    year = birth_date(id_number).year if id_number else personal.get("birth_year")
    return resident.Namesake(resident_id, year, personal.get("phone"), id_number)


async def check_not_registered(
    tx: Transaction, vault: Vault, resident_id: UUID, community_id: str, personal: dict[str, Any]
) -> None:
    """Refuse `personal` for `resident_id` in `community_id` if it looks like another resident
    kept there (`resident.not_registered_yet`). Registrations of one name wait for each other
    on a lock of its digest (never the name itself): the second sees the first once committed
    (READ COMMITTED), as two registrations of one ID number meet on its unique index. The few
    residents of that name in the community are opened, not logged: nothing leaves."""
    await store.lock_name(tx.raw, vault.digest("name", personal["name"]))
    same_name = await vault.holders(tx.raw, "name", [personal["name"]])
    others = []
    for other_id in await queries.kept_in(tx.raw, same_name, community_id):
        if other_id != resident_id and (fields := await vault.read(tx.raw, other_id)):
            others.append(namesake(other_id, fields))
    resident.not_registered_yet(namesake(resident_id, personal), others)

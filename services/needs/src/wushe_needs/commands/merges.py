"""Merging a duplicate record of a resident into the one kept (合并重复档案): the duplicate's
open needs and live wishes handed over, its personal data destroyed, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from pydantic import Field

from wushe_events.aggregate import load, load_timed, transacting
from wushe_events.catalogue.base import Slug
from wushe_events.store import EventStore, Transaction
from wushe_needs import queries
from wushe_needs import store as needs_store
from wushe_needs.commands import Command
from wushe_needs.domain import need, resident, wish
from wushe_needs.domain.merge import DUPLICATE_RECORD, merge
from wushe_service.personal_data import Vault


class MergeResident(Command):
    into: UUID = Field(description="the resident's record to keep")
    reason: Slug = Field(DUPLICATE_RECORD, description="a code, never free text")


@dataclass(frozen=True)
class Merged:
    """Which needs and wishes the kept record has now."""

    transferred_needs: list[UUID] = field(default_factory=list)
    transferred_wishes: list[UUID] = field(default_factory=list)


async def merge_resident(
    store: EventStore,
    resident_id: UUID,
    command: MergeResident,
    recorded_by: str | None,
    now: datetime,
) -> Merged:
    async def work(tx: Transaction) -> Merged:
        # Both records, in a fixed order: A→B and B→A at once wait for each other in a line,
        # never in a circle, and the second sees the first merged. The duplicate's lock also
        # waits for a survey or wish of theirs under way (store.lock_resident).
        for each in sorted({resident_id, command.into}):
            await needs_store.lock_resident(tx.raw, each)
        duplicate = await load(tx, "resident", str(resident_id), resident.evolve)
        kept = await load(tx, "resident", str(command.into), resident.evolve)
        wishes = await queries.live_wishes_of(tx.raw, resident_id)
        needs = await queries.open_needs_of(tx.raw, resident_id)
        events = merge(
            duplicate.state,
            resident_id,
            kept.state,
            command.into,
            command.reason,
            recorded_by,
            hands_over=bool(wishes or needs),
        )
        await tx.append(duplicate.version, events, now=now)
        await Vault.erase(tx.raw, resident_id)
        taking_on = resident.existing(kept.state, command.into)  # as merge() found it
        return await _hand_over(tx, wishes, needs, taking_on, now)

    return await transacting(store, work)


async def _hand_over(
    tx: Transaction,
    wishes: list[UUID],
    needs: list[UUID],
    kept: resident.Resident,
    now: datetime,
) -> Merged:
    """The duplicate's live wishes and open needs are the kept record's now, on the kept
    resident's community's board and list; what ended stays with the duplicate."""
    done = Merged()
    for wish_id in wishes:
        held = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        if await tx.append(held.version, wish.transfer(held.state, wish_id, kept), now=now):
            done.transferred_wishes.append(wish_id)
    for need_id in needs:
        listed = await load(tx, "need", str(need_id), need.evolve)
        handed = need.transfer(listed.state, need_id, kept.resident_id, kept.community_id)
        if await tx.append(listed.version, handed, now=now):
            done.transferred_needs.append(need_id)
    return done

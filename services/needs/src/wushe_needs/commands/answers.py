"""Needs answered by micro-venture grants (微创投) and by volunteer activities: an application
to a funds round, or an activity scheduled by a team, may name the needs it serves. Those still
open are matched to the grant once it is approved, and to the activity when it is scheduled;
an activity cancelled puts them back on the open list.

Applied from the other services' events in the consumer's transaction, so once however often
they are delivered, and in either order: a late `application.submitted` (redelivered after
its approval) still matches the needs it names, and a late `activity.scheduled` (after its
cancellation) matches none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from wushe_events.aggregate import load
from wushe_events.catalogue.needs import MatchKind
from wushe_events.store import Transaction
from wushe_needs import store
from wushe_needs.domain import need


async def application_submitted(
    tx: Transaction, application_id: UUID, need_ids: Sequence[UUID], at: datetime
) -> None:
    """The needs an application names (again, when a team applies anew after withdrawing)."""
    if await store.keep_grant_needs(tx.raw, application_id, need_ids):
        await _match(tx, MatchKind.grant, application_id, need_ids, at)


async def application_approved(tx: Transaction, application_id: UUID, at: datetime) -> None:
    need_ids = await store.approve_grant(tx.raw, application_id)
    await _match(tx, MatchKind.grant, application_id, need_ids, at)


async def activity_scheduled(
    tx: Transaction, activity_id: UUID, need_ids: Sequence[UUID], at: datetime
) -> None:
    if need_ids and await store.keep_activity_needs(tx.raw, activity_id, need_ids):
        await _match(tx, MatchKind.activity, activity_id, need_ids, at)


async def activity_cancelled(tx: Transaction, activity_id: UUID, at: datetime) -> None:
    for need_id in await store.cancel_activity(tx.raw, activity_id):
        listed = await load(tx, "need", str(need_id), need.evolve)
        if listed.state is not None:
            await tx.append(
                listed.version, need.unmatch(listed.state, need_id, activity_id), now=at
            )


async def _match(
    tx: Transaction, kind: MatchKind, match_id: UUID, need_ids: Sequence[UUID], at: datetime
) -> None:
    for need_id in need_ids:
        listed = await load(tx, "need", str(need_id), need.evolve)
        await tx.append(
            listed.version, need.served_by(listed.state, need_id, kind, match_id), now=at
        )

"""Needs answered by micro-venture grants (微创投): an application to a funds round may name the
needs it serves; once approved, those still open are matched to it on the needs list.

Applied from the funds service's events in the consumer's transaction, so once however often
they are delivered, and in either order: a late `application.submitted` (redelivered after
its approval) still matches the needs it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from wushe_events.aggregate import load
from wushe_events.store import Transaction
from wushe_needs import store
from wushe_needs.domain import need


async def application_submitted(
    tx: Transaction, application_id: UUID, need_ids: Sequence[UUID], at: datetime
) -> None:
    """The needs an application names (again, when a team applies anew after withdrawing)."""
    if await store.keep_grant_needs(tx.raw, application_id, need_ids):
        await _match(tx, application_id, need_ids, at)


async def application_approved(tx: Transaction, application_id: UUID, at: datetime) -> None:
    await _match(tx, application_id, await store.approve_grant(tx.raw, application_id), at)


async def _match(
    tx: Transaction, application_id: UUID, need_ids: Sequence[UUID], at: datetime
) -> None:
    for need_id in need_ids:
        listed = await load(tx, "need", str(need_id), need.evolve)
        await tx.append(listed.version, need.granted(listed.state, need_id, application_id), now=at)

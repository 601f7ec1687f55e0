"""A fund's ledger verified: its hash chain recomputed and compared with the fund's events,
each ledger state hashed once, off the event loop, its report kept."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.errors import NotFound
from wushe_funds import ledger_alarms, store
from wushe_funds.domain import ledger
from wushe_funds.queries.history import _STREAM, community_of, decoded, fund_opened
from wushe_service.sql import snapshot


async def verify_ledger(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    """Recompute the chain from the stored entries and compare each with the fund's events."""
    async with snapshot(db):
        return await _verify(db, fund_id)


async def verification(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ledger's verification and the fund it is of, by name and community (the page)."""
    async with snapshot(db):
        opened = await fund_opened(db, fund_id)
        community = await community_of(db, opened.community_id)
        check = await _verify(db, fund_id)
    fund = {"fund_id": fund_id, "name": opened.name, "community_id": opened.community_id}
    return {**fund, **community}, check


# The key of a verification: the fund's fingerprint (`store.ledger.LEDGER_DIGEST`).
_FINGERPRINT = f"""SELECT
    (SELECT max(version) FROM events WHERE aggregate = 'fund' AND aggregate_id = $1) AS version,
    (SELECT {store.ledger.LEDGER_DIGEST} FROM ledger l WHERE l.fund_id = $2) AS digest"""
_VERIFIED: OrderedDict[tuple[UUID, int, str], dict[str, Any]] = OrderedDict()
_VERIFIED_KEPT = 256


async def verify_ledger_state(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[store.ledger.Fingerprint, dict[str, Any]]:
    """As `verify_ledger`, with the fingerprint of the ledger state that was verified."""
    async with snapshot(db):
        return await _verified(db, fund_id)


async def _verify(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    return (await _verified(db, fund_id))[1]


async def _verified(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[store.ledger.Fingerprint, dict[str, Any]]:
    """In the caller's snapshot. A public endpoint re-hashing a whole history per request is
    CPU anyone can spend: the report is kept per fingerprint and computed off the event loop."""
    version, digest = await db.fetchrow(_FINGERPRINT, str(fund_id), fund_id)
    if version is None:
        raise NotFound("fund", fund_id)
    key = (fund_id, version, digest)
    if key in _VERIFIED:
        _VERIFIED.move_to_end(key)
    elif key not in _HASHING:
        history = await db.fetch(_STREAM, "fund", str(fund_id))
        rows = await store.ledger.ledger_rows(db, fund_id)
        if key not in _VERIFIED and key not in _HASHING:  # still, after those awaits
            _hash(key, history, rows)
    report = _VERIFIED[key] if key in _VERIFIED else await asyncio.shield(_HASHING[key])
    ledger_alarms.observed(report)
    return (version, digest), dict(report)


_HASHING: dict[tuple[UUID, int, str], asyncio.Future[dict[str, Any]]] = {}


def _hash(
    key: tuple[UUID, int, str], history: list[asyncpg.Record], rows: list[asyncpg.Record]
) -> None:
    """One hashing per ledger state at a time, in a thread: requests arriving together, or a
    request and the background sweep (`ledger_watch`), wait for the same one rather than each
    hashing the whole history again (awaited shielded: a caller that goes away cancels nobody
    else's). Its report is kept before any of them resumes, so a later caller finds it."""
    hashing = _HASHING[key] = asyncio.ensure_future(
        asyncio.to_thread(_check, key[0], history, rows)
    )

    def keep(_: object) -> None:
        del _HASHING[key]
        if not hashing.cancelled() and hashing.exception() is None:
            _VERIFIED[key] = hashing.result()
            ledger_alarms.computed(_VERIFIED[key])
            while len(_VERIFIED) > _VERIFIED_KEPT:
                _VERIFIED.popitem(last=False)

    hashing.add_done_callback(keep)


def _check(
    fund_id: UUID, history: list[asyncpg.Record], rows: list[asyncpg.Record]
) -> dict[str, Any]:
    stored = [store.ledger.entry_or_unreadable(row) for row in rows]
    broken = ledger.verify(stored, ledger.from_events(fund_id, decoded(history)))
    return {
        "fund_id": fund_id,
        "entries": len(rows),
        "valid": broken is None,
        "first_broken": None
        if broken is None
        else {"sequence": broken.sequence, "reason": broken.reason},
        "head_hash": rows[-1]["hash"] if rows else ledger.GENESIS,
    }

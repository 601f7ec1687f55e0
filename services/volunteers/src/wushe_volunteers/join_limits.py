"""The sign-up form's limits (志愿者报名, `POST /join`): how many forms one client, and the
whole office, may send in any 60 minutes. Counted in PostgreSQL, so that every replica of the
service counts the same; a client by a digest of its address keyed with the office's search key
and the clock hour (an address is personal data: it is never stored, and a digest of one hour
cannot be matched with another's), each form kept only while it is in the window."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import asyncpg

from wushe_service.personal_data import Vault

# A sliding window over the forms' own times rather than a token bucket: a bucket of 30 that
# refills 30 an hour lets 30 at once and nearly 30 more within the hour, which is not "30 in an
# hour"; the stored times say exactly how many fall in any 60 minutes, and when the oldest
# leaves them (the 429 page's "in so many minutes"). They are few: at most a limit's worth per
# client, the office's limit in all.
WINDOW = timedelta(hours=1)
Whose = Literal["client", "office"]


@dataclass(frozen=True)
class Refused:
    whose: Whose
    retry_after: int  # seconds until enough forms have left the window for one more


@dataclass(frozen=True)
class Client:
    """A client's digests: `now`, the one its form is kept under; `before`, the previous clock
    hour's, whose forms may still be in the window."""

    now: bytes
    before: bytes


def _hour(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def client_of(vault: Vault, now: datetime, address: str) -> Client:
    hour = _hour(now)
    return Client(
        vault.digest("join_client", f"{hour.isoformat()}|{address}"),
        vault.digest("join_client", f"{(hour - WINDOW).isoformat()}|{address}"),
    )


async def take(
    db: asyncpg.Connection, now: datetime, client: Client, per_client: int, per_office: int
) -> Refused | None:
    """Count a form sent by `client` now, or say why not (nothing counted): the client's or the
    office's limit is reached within the last 60 minutes (0: no limit)."""
    if not (per_client or per_office):
        return None
    async with db.transaction():
        # Counting and then adding is two statements: without one lock, two replicas could
        # both count 29 and both add the 30th. One lock for the office (every client) keeps
        # it simple and free of deadlocks; a sign-up form's traffic is small.
        await db.execute(
            "SELECT pg_advisory_xact_lock("
            "hashtextextended('join_attempts:' || current_schema(), 0))"
        )
        await forget(db, now)
        limits: tuple[tuple[Whose, int, Client | None], ...] = (
            ("client", per_client, client),
            ("office", per_office, None),
        )
        for whose, limit, of in limits:
            leaves = await _leaves(db, now, of, limit) if limit else None
            if leaves is not None:
                wait = (leaves + WINDOW - now).total_seconds()
                return Refused(whose, max(1, math.ceil(wait)))
        await db.execute(
            "INSERT INTO join_attempts (client, sent_at) VALUES ($1, $2)", client.now, now
        )
    return None


async def _leaves(
    db: asyncpg.Connection, now: datetime, client: Client | None, limit: int
) -> datetime | None:
    """When the form whose leaving lets one more in was sent — the `limit`-th latest within the
    window, of `client` (None: of everyone) — or None: fewer than `limit` there."""
    if client is None:
        return await db.fetchval(
            """SELECT sent_at FROM join_attempts WHERE sent_at > $1
               ORDER BY sent_at DESC OFFSET $2 LIMIT 1""",
            now - WINDOW,
            limit - 1,
        )
    return await db.fetchval(
        """SELECT sent_at FROM join_attempts WHERE client = ANY($1::bytea[]) AND sent_at > $2
           ORDER BY sent_at DESC OFFSET $3 LIMIT 1""",
        [client.now, client.before],
        now - WINDOW,
        limit - 1,
    )


async def forget(db: asyncpg.Connection, now: datetime) -> None:
    """Delete the forms sent 60 minutes ago or longer: no limit needs them any more."""
    await db.execute("DELETE FROM join_attempts WHERE sent_at <= $1", now - WINDOW)

"""The sign-up form's limits (志愿者报名, `POST /join`): how many forms one client, and the
whole office, may send in an hour. Counted in PostgreSQL, so that every replica of the service
counts the same; a client by a digest of its address keyed with the office's search key and
the hour (an address is personal data: it is never stored, and a digest of one hour cannot be
matched with another's), kept until its hour is over."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import asyncpg

from wushe_service.personal_data import Vault

WINDOW = timedelta(hours=1)
OFFICE = b""  # the office's row: every client's forms together
Whose = Literal["client", "office"]


@dataclass(frozen=True)
class Refused:
    whose: Whose
    retry_after: int  # seconds until the hour is over


class _Over(Exception):
    pass


def window_of(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def retry_after(now: datetime) -> int:
    return max(1, math.ceil((window_of(now) + WINDOW - now).total_seconds()))


def client_of(vault: Vault, now: datetime, address: str) -> bytes:
    return vault.digest("join_client", f"{window_of(now).isoformat()}|{address}")


async def take(
    db: asyncpg.Connection, now: datetime, client: bytes, per_client: int, per_office: int
) -> Refused | None:
    """Count a form sent by `client` now, or say why not (nothing counted): the client's or the
    office's limit for this hour is reached (0: no limit)."""
    window = window_of(now)
    try:
        async with db.transaction():
            await forget(db, now)
            for whose, digest, limit in (
                ("client", client, per_client),
                ("office", OFFICE, per_office),
            ):
                if limit and not await _counted(db, window, digest, limit):
                    raise _Over(whose)
    except _Over as over:
        return Refused(over.args[0], retry_after(now))
    return None


async def _counted(db: asyncpg.Connection, window: datetime, client: bytes, limit: int) -> bool:
    # One statement: of two replicas counting at once, the row's lock orders them.
    count = await db.fetchval(
        """INSERT INTO join_attempts AS a (window_start, client, count) VALUES ($1, $2, 1)
           ON CONFLICT (window_start, client) DO UPDATE SET count = a.count + 1
           WHERE a.count < $3 RETURNING count""",
        window,
        client,
        limit,
    )
    return count is not None


async def forget(db: asyncpg.Connection, now: datetime) -> None:
    """Delete the counts of the hours over."""
    await db.execute("DELETE FROM join_attempts WHERE window_start < $1", window_of(now))

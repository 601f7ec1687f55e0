"""Advisory locks that serialise the commands on one fund's money or one round."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def lock_fund(db: asyncpg.Connection, fund_id: UUID) -> None:
    """Serialise the commands that move one fund's money. Expected versions alone keep them
    correct, but 30 racing disbursements would retry each other until some gave up while the
    money was there. An advisory lock takes no transaction id, so take it first: the rule
    "load before you write" (wushe_events.store) still holds."""
    await db.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"fund:{fund_id}")


async def lock_round(db: asyncpg.Connection, round_id: UUID, *, shared: bool = False) -> None:
    """Serialise closing or cancelling a round with the submissions to it (which share the
    lock): a cancellation sees every application submitted before it, and none after.
    Taken first in the transaction, as `lock_fund`."""
    lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    await db.execute(f"SELECT {lock}(hashtextextended($1, 0))", f"round:{round_id}")

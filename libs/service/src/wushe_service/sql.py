"""Small helpers for the hand-written SQL of the read-model queries."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

Condition = tuple[str, tuple[Any, ...] | None]


def where(*conditions: Condition) -> tuple[str, list[Any]]:
    """`WHERE …` of the conditions that have values; each `?` becomes the next `$n`."""
    clauses: list[str] = []
    args: list[Any] = []
    for sql, values in conditions:
        if values is None or any(v is None for v in values):
            continue
        for value in values:
            args.append(value)
            sql = sql.replace("?", f"${len(args)}", 1)
        clauses.append(sql)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def one(value: Any) -> tuple[Any, ...] | None:
    """The values of a condition on one optional value: none when it is absent."""
    return None if value is None else (value,)


@asynccontextmanager
async def snapshot(db: asyncpg.Connection) -> AsyncIterator[None]:
    """Reads that must agree in one snapshot (a list's page and its totals; a fund's events
    and its ledger): a write committed between two of them would make them disagree."""
    async with db.transaction(isolation="repeatable_read", readonly=True):
        yield

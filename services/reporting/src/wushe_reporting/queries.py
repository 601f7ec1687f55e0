"""Reads of the reporting read models, for the API and the dashboard."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import asyncpg

OVERVIEW_COLUMNS = (
    "communities",
    "residents",
    "surveys",
    "volunteers",
    "funds",
    "donations",
    "raised_fen",
)
COMMUNITY_COLUMNS = (
    "community_id",
    "name",
    "street",
    "residents",
    "surveys",
    "volunteers",
    "funds",
    "raised_fen",
)

# Exportable tables and their columns, in order: only read models, never bookkeeping.
EXPORTS: dict[str, tuple[str, ...]] = {
    "office_overview": ("office", *OVERVIEW_COLUMNS, "last_event_at"),
    "community_overview": ("office", *COMMUNITY_COLUMNS),
}


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 3)


async def overview(db: asyncpg.Connection) -> dict[str, Any]:
    now = datetime.now(UTC)
    rows = await db.fetch("SELECT * FROM office_overview ORDER BY office")
    offices = [
        {
            "office": row["office"],
            **{c: row[c] for c in OVERVIEW_COLUMNS},
            "last_event_at": row["last_event_at"],
            "seconds_since_last_event": _seconds_since(row["last_event_at"], now),
        }
        for row in rows
    ]
    totals = {c: sum(o[c] for o in offices) for c in OVERVIEW_COLUMNS}
    return {"generated_at": now, "offices": offices, "totals": totals}


async def communities(db: asyncpg.Connection, office: str) -> list[dict[str, Any]]:
    rows = await db.fetch(
        f"""SELECT {", ".join(COMMUNITY_COLUMNS)} FROM community_overview
            WHERE office = $1 ORDER BY street NULLS LAST, community_id""",
        office,
    )
    return [dict(row) for row in rows]


async def freshness(db: asyncpg.Connection) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = await db.fetch("SELECT office, last_event_at FROM office_overview ORDER BY office")
    return [
        {
            "office": r["office"],
            "last_event_at": r["last_event_at"],
            "seconds_since_last_event": _seconds_since(r["last_event_at"], now),
        }
        for r in rows
    ]


async def export_csv(db: asyncpg.Connection, table: str) -> str:
    """The table as CSV, UTF-8 with a byte-order mark so that Excel reads Chinese correctly."""
    columns = EXPORTS[table]
    rows = await db.fetch(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if row[c] is None else row[c] for c in columns] for row in rows])
    return out.getvalue()

"""The fact tables as CSV, for Excel: one office's, street's or community's rows."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import asyncpg

from wushe_reporting.projections import TABLES
from wushe_reporting.queries import states
from wushe_reporting.queries.filters import OFFICE_TIME
from wushe_service import spreadsheet
from wushe_service.sql import one, where


async def export_csv(
    db: asyncpg.Connection, table: str, office: str | None = None, community: str | None = None
) -> str:
    """A fact table as CSV, UTF-8 with a byte-order mark so that Excel reads Chinese right;
    one office's or one community's rows when asked (ValueError: the table has no community)."""
    if table not in TABLES:
        raise KeyError(table)
    every = await _columns(db, table)
    if community is not None and "community_id" not in every:
        raise ValueError(f"community: the table {table} has no community_id")
    sql, args = where(("office = ?", one(office)), ("community_id = ?", one(community)))
    columns = [c for c in every if c != "version"]
    derived = states.exported(table)
    selected = ", ".join(f'{derived.get(c, f"{table}.{c}")} AS "{c}"' for c in columns)
    rows = await db.fetch(f"SELECT {selected} FROM {table}{sql} ORDER BY 1, 2", *args)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet.cell(_csv_value(row[c])) for c in columns])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    """A value as Excel reads it best: a time in office time without its offset (Excel takes
    `2026-10-07 10:00:00` for a time, `…+00:00` for text), a list joined by `|`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(OFFICE_TIME).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return "|".join(value)
    return value


async def tables_with_community(db: asyncpg.Connection) -> set[str]:
    """The fact tables whose rows name a community (they export one community's rows)."""
    rows = await db.fetch(
        """SELECT table_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND column_name = 'community_id'"""
    )
    return {r["table_name"] for r in rows} & set(TABLES)


async def _columns(db: asyncpg.Connection, table: str) -> list[str]:
    rows = await db.fetch(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position""",
        table,
    )
    return [r["column_name"] for r in rows]

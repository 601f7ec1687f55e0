"""Figures counted from the fact tables, filtered by office, street, community and period.

Flows (surveys, needs identified, wishes posted, hours, money) count within the period; stocks
(residents, volunteers, open needs, teams) are counted as they stand now; a snapshot keeps
them as they stood at the end of a day (`wushe_reporting.snapshots`).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from wushe_reporting.projections import TABLES
from wushe_reporting.queries import states
from wushe_reporting.queries.filters import OFFICE_TIME, Filters
from wushe_reporting.queries.funds import (
    disbursements,
    evaluations,
    expenses,
    grants,
    money,
    reviews,
)
from wushe_reporting.queries.needs import (
    consent,
    due_visits,
    needs,
    residents,
    surveys,
    wishes,
)
from wushe_reporting.queries.volunteers import (
    activities,
    certificates,
    hours,
    organisations,
    volunteers,
)
from wushe_service import spreadsheet
from wushe_service.sql import one, where


async def figures(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Everything the dashboard shows, for one filter."""
    return {
        "filters": {
            "office": f.office,
            "street": f.street,
            "community": f.community,
            "from": f.start and f.start.isoformat(),
            "to": f.end and (f.end - timedelta(days=1)).isoformat(),  # its last day
        },
        "residents": await residents(db, f),
        "surveys": await surveys(db, f),
        "needs": await needs(db, f),
        "wishes": await wishes(db, f),
        "volunteers": await volunteers(db, f),
        "organisations": await organisations(db, f),
        "activities": await activities(db, f),
        "hours": await hours(db, f),
        "money": await money(db, f),
        "grants": await grants(db, f),
        "reviews": await reviews(db, f),
        "disbursements": await disbursements(db, f),
        "expenses": await expenses(db, f),
        "evaluations": await evaluations(db, f),
        "consent": await consent(db, f),
        "certificates": await certificates(db, f),
    }


async def overview(db: asyncpg.Connection) -> dict[str, Any]:
    """Headline figures per office, and freshness."""
    offices = []
    for row in await db.fetch("SELECT office FROM offices ORDER BY office"):
        one = Filters(office=row["office"])
        offices.append(
            {
                "office": row["office"],
                "communities": await db.fetchval(
                    "SELECT count(*) FROM communities WHERE office = $1 AND name IS NOT NULL",
                    row["office"],
                ),
                "residents": (await residents(db, one))["total"],
                "surveys": (await surveys(db, one))["total"],
                "volunteers": (await volunteers(db, one))["active"],
                "open_needs": (await needs(db, one))["open"],
                "raised_fen": (await money(db, one))["raised_fen"],
                "verified_hours": (await hours(db, one))["verified"],
            }
        )
    fresh = {o["office"]: o for o in await freshness(db)}
    for office in offices:
        office.update({k: v for k, v in fresh[office["office"]].items() if k != "office"})
    keys = (
        [k for k in offices[0] if k not in ("office", "last_event_at", "seconds_since_last_event")]
        if offices
        else []
    )
    return {
        "generated_at": datetime.now(UTC),
        "offices": offices,
        "totals": {k: sum(o[k] for o in offices) for k in keys},
    }


async def places(db: asyncpg.Connection, office: str) -> dict[str, Any]:
    """The streets of an office and their communities with headline figures (drill-down);
    LookupError for an office no event has come from."""
    rows = await db.fetch(
        """SELECT c.street, c.community_id, c.name,
               (SELECT count(*) FROM residents r WHERE r.office = c.office
                  AND r.community_id = c.community_id AND NOT r.erased) AS residents,
               (SELECT count(*) FROM surveys s WHERE s.office = c.office
                  AND s.community_id = c.community_id AND s.method IS NOT NULL) AS surveys,
               (SELECT count(*) FROM needs n WHERE n.office = c.office
                  AND n.community_id = c.community_id
                  AND n.state IN ('open', 'matched')) AS open_needs,
               (SELECT count(*) FROM volunteers v WHERE v.office = c.office
                  AND v.community_id = c.community_id AND v.status = 'active') AS volunteers
           FROM communities c
           WHERE c.office = $1 AND c.name IS NOT NULL ORDER BY c.street, c.community_id""",
        office,
    )
    if not rows and not await db.fetchval("SELECT 1 FROM offices WHERE office = $1", office):
        raise LookupError(office)
    streets: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        here = Filters(office=office, community=row["community_id"])
        streets.setdefault(row["street"], []).append(
            {
                k: row[k]
                for k in (
                    "community_id",
                    "name",
                    "residents",
                    "surveys",
                    "open_needs",
                    "volunteers",
                )
            }
            | {"due_visit": await due_visits(db, here)}
        )
    return {
        "office": office,
        "streets": [{"street": s, "communities": c} for s, c in streets.items()],
    }


async def freshness(db: asyncpg.Connection) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = await db.fetch("SELECT office, last_event_at FROM offices ORDER BY office")
    return [
        {
            "office": r["office"],
            "last_event_at": r["last_event_at"],
            "seconds_since_last_event": None
            if r["last_event_at"] is None
            else round((now - r["last_event_at"]).total_seconds(), 3),
        }
        for r in rows
    ]


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


def _text(value: Any) -> Any:
    return "" if value is None else "|".join(value) if isinstance(value, list) else value


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

"""Figures counted from the fact tables, filtered by office, street, community and period.

Flows (surveys, needs identified, wishes posted, hours, money) count within the period; stocks
(residents, volunteers, open needs, teams) are counted as they stand now; a snapshot keeps
them as they stood at the end of a day (`wushe_reporting.snapshots`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from wushe_reporting.queries.export import export_csv as export_csv
from wushe_reporting.queries.export import tables_with_community as tables_with_community
from wushe_reporting.queries.filters import COMMUNITY, Filters
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
    due_visits_per,
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


# The headline figures of each office in the overview, and their totals.
HEADLINES = (
    "communities",
    "residents",
    "surveys",
    "volunteers",
    "open_needs",
    "raised_fen",
    "verified_hours",
)


async def overview(
    db: asyncpg.Connection,
    configured: Collection[str] = (),
    names: Mapping[str, str] = {},
    period: Filters | None = None,
) -> dict[str, Any]:
    """Headline figures per office, its name where `names` has it (else null), and freshness;
    the `configured` offices (those a service reports on) are listed with zeros before their
    first event, and the totals always carry every figure (zero, with no office yet), never an
    empty object. The flows (surveys, money raised, verified hours) count within `period`'s
    months, as `figures` counts them for the same office and period: the offices side by side
    must read as each office's own figures do."""
    months = period or Filters()
    seen = {r["office"] for r in await db.fetch("SELECT office FROM offices")}
    fresh = {o["office"]: o for o in await freshness(db)}
    offices = []
    for office in sorted(seen | set(configured)):
        one = Filters(office=office, start=months.start, end=months.end)
        offices.append(
            {
                "office": office,
                "name": names.get(office),
                "communities": await db.fetchval(
                    "SELECT count(*) FROM communities WHERE office = $1 AND name IS NOT NULL",
                    office,
                ),
                "residents": (await residents(db, one))["total"],
                "surveys": (await surveys(db, one))["total"],
                "volunteers": (await volunteers(db, one))["active"],
                "open_needs": (await needs(db, one))["open"],
                "raised_fen": (await money(db, one))["raised_fen"],
                "verified_hours": (await hours(db, one))["verified"],
                "last_event_at": None,
                "seconds_since_last_event": None,
            }
            | {k: v for k, v in fresh.get(office, {}).items() if k != "office"}
        )
    return {
        "generated_at": datetime.now(UTC),
        "offices": offices,
        "totals": {k: sum((o[k] for o in offices), start=0) for k in HEADLINES},
    }


async def places(
    db: asyncpg.Connection, office: str, period: Filters | None = None
) -> dict[str, Any]:
    """The streets of an office and their communities with headline figures (drill-down);
    none yet for an office before its first event (`filters.unknown_place` tells an office
    not known). Surveys count within `period`'s months, as a community's figures do."""
    args: list[Any] = [office]
    surveyed = (period or Filters()).period("s.surveyed_at", args)
    rows = await db.fetch(
        f"""SELECT c.street, c.community_id, c.name,
               (SELECT count(*) FROM residents r WHERE r.office = c.office
                  AND r.community_id = c.community_id AND NOT r.erased) AS residents,
               (SELECT count(*) FROM surveys s WHERE s.office = c.office
                  AND s.community_id = c.community_id AND s.method IS NOT NULL
                  AND {surveyed}) AS surveys,
               (SELECT count(*) FROM needs n WHERE n.office = c.office
                  AND n.community_id = c.community_id
                  AND n.state IN ('open', 'matched')) AS open_needs,
               (SELECT count(*) FROM volunteers v WHERE v.office = c.office
                  AND v.community_id = c.community_id AND v.status = 'active') AS volunteers
           FROM communities c
           WHERE c.office = $1 AND c.name IS NOT NULL ORDER BY c.street, c.community_id""",
        *args,
    )
    due = await due_visits_per(db, Filters(office=office), COMMUNITY)
    streets: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
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
            | {"due_visit": due.get((office, row["community_id"]), 0)}
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

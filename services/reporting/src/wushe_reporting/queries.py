"""Figures counted from the fact tables, filtered by office, street, community and period.

Flows (surveys, needs identified, wishes posted, hours, money) count within the period; stocks
(residents, volunteers, open needs, teams) are counted as they stand now.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from wushe_reporting.projections import TABLES

# Months and periods are those of the offices' calendar.
OFFICE_TIME = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Filters:
    office: str | None = None
    street: str | None = None
    community: str | None = None
    start: date | None = None  # first day of the period
    end: date | None = None  # first day after it

    def scope(self, alias: str, *, community: str = "community_id") -> tuple[str, list[Any]]:
        """SQL conditions (with `$n` from 1) restricting `alias` to the office and place."""
        clauses, args = [], []
        if self.office:
            args.append(self.office)
            clauses.append(f"{alias}.office = ${len(args)}")
        if self.community:
            args.append(self.community)
            clauses.append(f"{alias}.{community} = ${len(args)}")
        if self.street:
            args.append(self.street)
            clauses.append(
                f"""EXISTS (SELECT 1 FROM communities c WHERE c.office = {alias}.office
                    AND c.community_id = {alias}.{community} AND c.street = ${len(args)})"""
            )
        return " AND ".join(clauses) or "true", args

    def period(self, column: str, args: list[Any]) -> str:
        clauses = []
        if self.start:
            args.append(datetime.combine(self.start, datetime.min.time(), OFFICE_TIME))
            clauses.append(f"{column} >= ${len(args)}")
        if self.end:
            args.append(datetime.combine(self.end, datetime.min.time(), OFFICE_TIME))
            clauses.append(f"{column} < ${len(args)}")
        return " AND ".join(clauses) or "true"

    @property
    def placed(self) -> bool:
        """Whether the figures are for a street or community (office-wide facts drop out)."""
        return bool(self.street or self.community)


async def _tally(db: asyncpg.Connection, sql: str, args: list[Any]) -> dict[str, int]:
    return {str(r[0]): r[1] for r in await db.fetch(sql, *args) if r[0] is not None}


async def residents(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("r")
    where += " AND NOT r.erased"
    by_group = await _tally(
        db,
        f"""SELECT g, count(*) FROM residents r, unnest(r.groups) g
                                    WHERE {where} GROUP BY g ORDER BY g""",
        args,
    )
    by_band = await _tally(
        db,
        f"""SELECT age_band, count(*) FROM residents r WHERE {where}
                                   GROUP BY age_band ORDER BY age_band""",
        args,
    )
    return {"total": sum(by_band.values()), "by_group": by_group, "by_age_band": by_band}


async def surveys(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("s")
    where += " AND s.method IS NOT NULL AND " + f.period("s.surveyed_at", args)
    by_method = await _tally(
        db,
        f"SELECT method, count(*) FROM surveys s WHERE {where} GROUP BY method ORDER BY method",
        args,
    )
    by_month = await db.fetch(
        f"""SELECT to_char(surveyed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
                   count(*) FROM surveys s WHERE {where} GROUP BY 1 ORDER BY 1""",
        *args,
    )
    levels: dict[str, dict[str, int]] = {}
    for dimension in ("physical", "psychological", "material", "spiritual"):
        levels[dimension] = {str(level): 0 for level in range(4)} | await _tally(
            db,
            f"""SELECT {dimension}, count(*) FROM surveys s
                    WHERE {where} AND s.method <> 'spot_check' GROUP BY 1 ORDER BY 1""",
            args,
        )
    discrepancies = await db.fetchval(
        f"SELECT count(*) FROM surveys s WHERE {where} AND s.discrepancy", *args
    )
    return {
        "total": sum(by_method.values()),
        "by_method": by_method,
        "by_month": [{"month": r["month"], "count": r["count"]} for r in by_month],
        "dimensions": levels,
        "spot_check_discrepancies": discrepancies,
    }


async def needs(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("n")
    where += " AND n.category IS NOT NULL"
    open_ = f"{where} AND n.state IN ('open', 'matched')"
    by_category = await _tally(
        db,
        f"SELECT category, count(*) FROM needs n WHERE {open_} GROUP BY 1 ORDER BY 2 DESC, 1",
        args,
    )
    by_urgency = await _tally(
        db, f"SELECT urgency, count(*) FROM needs n WHERE {open_} GROUP BY 1", args
    )
    flow, flow_args = f.scope("n")
    flow += " AND n.category IS NOT NULL AND " + f.period("n.identified_at", flow_args)
    by_state = await _tally(
        db, f"SELECT state, count(*) FROM needs n WHERE {flow} GROUP BY 1", flow_args
    )
    total = sum(by_state.values())
    answered = sum(by_state.get(s, 0) for s in ("matched", "resolved"))
    return {
        "open": sum(by_category.values()),
        "by_category": by_category,
        "by_urgency": by_urgency,
        "by_state": by_state,
        "coverage": round(answered / total, 4) if total else None,
    }


async def wishes(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("w")
    where += " AND w.posted_at IS NOT NULL AND " + f.period("w.posted_at", args)
    by_state = await _tally(
        db, f"SELECT state, count(*) FROM wishes w WHERE {where} GROUP BY 1", args
    )
    times = await db.fetchrow(
        f"""SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY
                       extract(epoch FROM first_claimed_at - posted_at)) AS to_claim,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY
                       extract(epoch FROM fulfilled_at - posted_at)) AS to_fulfil,
                   coalesce(sum(value_fen), 0) AS value_fen
            FROM wishes w WHERE {where}""",
        *args,
    )
    hours = lambda seconds: None if seconds is None else round(seconds / 3600, 1)  # noqa: E731
    return {
        "total": sum(by_state.values()),
        "by_state": by_state,
        "median_hours_to_claim": hours(times["to_claim"]),
        "median_hours_to_fulfil": hours(times["to_fulfil"]),
        "value_fen": int(times["value_fen"]),
    }


async def volunteers(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("v")
    where += " AND v.status IS NOT NULL"
    by_status = await _tally(
        db, f"SELECT status, count(*) FROM volunteers v WHERE {where} GROUP BY 1", args
    )
    certified = await _tally(
        db,
        f"""SELECT certification, count(*) FROM volunteers v
                                     WHERE {where} AND status = 'active'
                                     AND certification <> 'none' GROUP BY 1""",
        args,
    )
    return {
        "active": by_status.get("active", 0),
        "by_status": by_status,
        "social_workers_by_certification": certified,
    }


async def organisations(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    teams: dict[str, int] = {}
    if not f.placed:  # teams belong to no community
        where, args = f.scope("t")
        teams = await _tally(
            db, f"SELECT kind, count(*) FROM teams t WHERE {where} GROUP BY 1 ORDER BY 1", args
        )
    where, args = f.scope("p")
    pairings = await db.fetchval(f"SELECT count(*) FROM pairings p WHERE {where}", *args)
    where, args = f.scope("s")
    sites = await _tally(
        db,
        f"SELECT kind, count(*) FROM sites s WHERE {where} "
        "AND kind IS NOT NULL GROUP BY 1 ORDER BY 1",
        args,
    )
    return {"teams_by_kind": teams, "pairings": pairings, "sites_by_kind": sites}


async def activities(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("a")
    where += " AND a.starts_at IS NOT NULL AND " + f.period("a.starts_at", args)
    row = await db.fetchrow(
        f"""SELECT count(*) FILTER (WHERE a.state = 'scheduled') AS held,
                   count(*) FILTER (WHERE a.state = 'cancelled') AS cancelled,
                   coalesce(sum(a.capacity) FILTER (WHERE a.state = 'scheduled'), 0) AS places,
                   (SELECT count(*) FROM signups s JOIN activities b USING (office, activity_id)
                    WHERE s.state = 'accepted' AND b.state = 'scheduled'
                      AND (s.office, s.activity_id) IN (SELECT office, activity_id
                                                        FROM activities a WHERE {where})
                   ) AS signed_up
            FROM activities a WHERE {where}""",
        *args,
    )
    return dict(row)


async def hours(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    # Hours count where the volunteer lives.
    where, args = f.scope("v")
    verified = where + " AND h.state = 'verified' AND " + f.period("h.verified_at", args)
    rows = await db.fetch(
        f"""SELECT to_char(h.verified_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
                   sum(h.hours) AS hours
            FROM hours h JOIN volunteers v USING (office, volunteer_id)
            WHERE {verified} GROUP BY 1 ORDER BY 1""",
        *args,
    )
    where, args = f.scope("v")
    pending = await db.fetchval(
        f"""SELECT coalesce(sum(h.hours), 0) FROM hours h JOIN volunteers v
            USING (office, volunteer_id) WHERE {where} AND h.state = 'pending'""",
        *args,
    )
    by_month = [{"month": r["month"], "hours": float(r["hours"])} for r in rows]
    return {
        "verified": round(sum(m["hours"] for m in by_month), 2),
        "verified_by_month": by_month,
        "pending": float(pending),
    }


async def money(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("fu")
    flows = where + " AND " + f.period("fl.happened_at", args)
    rows = await db.fetch(
        f"""SELECT to_char(fl.happened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
                   fl.kind, sum(fl.amount_fen) AS fen
            FROM fund_flows fl JOIN funds fu USING (office, fund_id)
            WHERE {flows} GROUP BY 1, 2 ORDER BY 1""",
        *args,
    )
    months: dict[str, dict[str, int]] = {}
    for row in rows:
        months.setdefault(row["month"], {"donation": 0, "disbursement": 0, "refund": 0})[
            row["kind"]
        ] = int(row["fen"])
    raised = sum(m["donation"] for m in months.values())
    refunded = sum(m["refund"] for m in months.values())
    disbursed = sum(m["disbursement"] for m in months.values())
    where, args = f.scope("fu")
    funds_count = await db.fetchval(
        f"SELECT count(*) FROM funds fu WHERE {where} AND fu.name IS NOT NULL", *args
    )
    return {
        "funds": funds_count,
        "raised_fen": raised,
        "refunded_fen": refunded,
        "disbursed_fen": disbursed,
        "balance_fen": raised - refunded - disbursed,
        "by_month": [
            {"month": m, "raised_fen": v["donation"], "disbursed_fen": v["disbursement"]}
            for m, v in months.items()
        ],
    }


async def grants(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("g")
    where += " AND g.round_id IS NOT NULL"
    by_state = await _tally(
        db, f"SELECT state, count(*) FROM grants g WHERE {where} GROUP BY 1", args
    )
    rounds = await db.fetch(
        f"""SELECT g.round_id, r.budget_fen, count(*) AS applications,
                   count(*) FILTER (WHERE g.state IN ('approved', 'completed')) AS approved,
                   coalesce(sum(g.approved_fen), 0) AS approved_fen
            FROM grants g LEFT JOIN rounds r USING (office, round_id)
            WHERE {where} GROUP BY 1, 2 ORDER BY 1""",
        *args,
    )
    states: dict[Any, dict[str, int]] = {}
    for row in await db.fetch(
        f"SELECT round_id, state, count(*) FROM grants g WHERE {where} GROUP BY 1, 2", *args
    ):
        if row["state"] is not None:
            states.setdefault(row["round_id"], {})[row["state"]] = row["count"]
    return {
        "by_state": by_state,
        "by_round": [
            {
                "round_id": str(r["round_id"]),
                "budget_fen": r["budget_fen"],
                "applications": r["applications"],
                "approved": r["approved"],
                "approved_fen": int(r["approved_fen"]),
                "by_state": dict(sorted(states.get(r["round_id"], {}).items())),
            }
            for r in rounds
        ],
    }


async def figures(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Everything the dashboard shows, for one filter."""
    return {
        "filters": {
            "office": f.office,
            "street": f.street,
            "community": f.community,
            "from": f.start and f.start.isoformat(),
            "to": f.end and f.end.isoformat(),
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
    """The streets of an office and their communities with headline figures (drill-down)."""
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


async def export_csv(db: asyncpg.Connection, table: str) -> str:
    """A fact table as CSV, UTF-8 with a byte-order mark so that Excel reads Chinese right."""
    if table not in TABLES:
        raise KeyError(table)
    rows = await db.fetch(f"SELECT * FROM {table} ORDER BY 1, 2")
    columns = [c for c in (rows[0].keys() if rows else await _columns(db, table)) if c != "version"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                "" if row[c] is None else "|".join(row[c]) if isinstance(row[c], list) else row[c]
                for c in columns
            ]
        )
    return out.getvalue()


async def _columns(db: asyncpg.Connection, table: str) -> list[str]:
    rows = await db.fetch(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position""",
        table,
    )
    return [r["column_name"] for r in rows]

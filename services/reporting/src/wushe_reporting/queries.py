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
                   coalesce(sum(value_fen), 0) AS value_fen,
                   count(*) FILTER (WHERE last_progress_at IS NOT NULL) AS with_progress
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
        "with_progress": times["with_progress"],
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
    return {
        "teams_by_kind": teams,
        "pairings": pairings,
        "sites_by_kind": sites,
        **await memberships(db, f),
    }


async def memberships(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Team sizes as they stand; for a street or community, its own volunteers' memberships."""
    where, args = f.scope("v") if f.placed else f.scope("m")
    members = f"""FROM memberships m LEFT JOIN teams t USING (office, team_id)
                  LEFT JOIN volunteers v USING (office, volunteer_id)
                  WHERE m.member AND {where}"""
    row = await db.fetchrow(
        f"SELECT count(*) AS members, count(DISTINCT m.volunteer_id) AS volunteers {members}",
        *args,
    )
    by_kind = await _tally(db, f"SELECT t.kind, count(*) {members} GROUP BY 1 ORDER BY 1", args)
    return {
        "team_members": row["members"],
        "volunteers_in_teams": row["volunteers"],
        "members_by_team_kind": by_kind,
    }


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
                   ) AS signed_up,
                   (SELECT count(*) FROM signups s JOIN activities b USING (office, activity_id)
                    WHERE s.state = 'accepted' AND b.state = 'scheduled'
                      AND (s.office, s.activity_id) IN (SELECT office, activity_id
                                                        FROM activities a WHERE {where})
                      AND EXISTS (SELECT 1 FROM attendance t WHERE t.office = s.office
                                  AND t.activity_id = s.activity_id
                                  AND t.volunteer_id = s.volunteer_id)
                   ) AS came,
                   (SELECT count(DISTINCT (t.activity_id, t.volunteer_id)) FROM attendance t
                    JOIN activities b USING (office, activity_id) WHERE b.state = 'scheduled'
                      AND (t.office, t.activity_id) IN (SELECT office, activity_id
                                                        FROM activities a WHERE {where})
                   ) AS attended
            FROM activities a WHERE {where}""",
        *args,
    )
    out = dict(row)
    # The share of those signed up (and still so) whose attendance is recorded.
    came = out.pop("came")
    out["attendance_rate"] = round(came / out["signed_up"], 4) if out["signed_up"] else None
    return out


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


async def certificates(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    # Certificates count where the volunteer lives, like hours.
    where, args = f.scope("v")
    where += " AND " + f.period("ct.issued_at", args)
    row = await db.fetchrow(
        f"""SELECT count(*) AS issued, coalesce(sum(ct.hours), 0) AS hours
            FROM certificates ct JOIN volunteers v USING (office, volunteer_id) WHERE {where}""",
        *args,
    )
    return {"issued": row["issued"], "hours": float(row["hours"])}


async def consent(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Residents with consent on record, per purpose, as it stands (erased residents drop out)."""
    where, args = f.scope("cs")  # not `c`: the street's condition names communities `c`
    where += """ AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.office = cs.office
                 AND r.resident_id = cs.resident_id AND r.erased)"""
    by_purpose = await _tally(
        db,
        f"""SELECT purpose, count(*) FROM consents cs WHERE {where} AND cs.granted
            GROUP BY 1 ORDER BY 1""",
        args,
    )
    withdrawn = await db.fetchval(
        f"SELECT count(*) FROM consents cs WHERE {where} AND NOT cs.granted", *args
    )
    by_giver = await _tally(
        db,
        f"""SELECT given_by, count(*) FROM consents cs WHERE {where} AND cs.granted
            GROUP BY 1 ORDER BY 1""",
        args,
    )
    return {"by_purpose": by_purpose, "by_giver": by_giver, "withdrawn": withdrawn}


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
    allocated = {
        r["round_id"]: int(r["fen"])
        for r in await db.fetch(
            f"""SELECT al.round_id, sum(al.amount_fen) AS fen FROM allocations al
                JOIN grants g USING (office, application_id) WHERE {where} GROUP BY 1""",
            *args,
        )
    }
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
                "allocated_fen": allocated.get(r["round_id"], 0),
            }
            for r in rounds
        ],
        "allocated_fen": sum(allocated.values()),
        "by_application": await by_application(db, f),
    }


async def by_application(db: asyncpg.Connection, f: Filters) -> list[dict[str, Any]]:
    """Each grant as it stands: its reviews and recusals, what was paid and what was spent."""
    where, args = f.scope("g")
    rows = await db.fetch(
        f"""SELECT g.application_id, g.community_id, g.state, g.approved_fen,
              (SELECT count(*) FROM reviews x WHERE x.office = g.office
                 AND x.application_id = g.application_id AND x.kind = 'review') AS reviews,
              (SELECT round(avg(x.score), 1) FROM reviews x WHERE x.office = g.office
                 AND x.application_id = g.application_id AND x.kind = 'review') AS mean_score,
              (SELECT count(*) FROM reviews x WHERE x.office = g.office
                 AND x.application_id = g.application_id AND x.kind = 'recusal') AS recusals,
              (SELECT coalesce(sum(d.amount_fen), 0) FROM disbursements d
                 WHERE d.office = g.office AND d.application_id = g.application_id
                 AND d.paid_at IS NOT NULL) AS disbursed_fen,
              (SELECT coalesce(sum(e.amount_fen), 0) FROM expenses e WHERE e.office = g.office
                 AND e.application_id = g.application_id) AS spent_fen,
              {SUSPENDED} AS suspended
            FROM grants g WHERE {where} AND g.round_id IS NOT NULL
            ORDER BY g.submitted_at, g.application_id""",
        *args,
    )
    return [
        {
            "application_id": str(r["application_id"]),
            "community_id": r["community_id"],
            "state": r["state"],
            "approved_fen": r["approved_fen"],
            "reviews": r["reviews"],
            "mean_score": None if r["mean_score"] is None else float(r["mean_score"]),
            "recusals": r["recusals"],
            "disbursed_fen": int(r["disbursed_fen"]),
            "spent_fen": int(r["spent_fen"]),
            "suspended": r["suspended"],
        }
        for r in rows
    ]


# An approved grant whose latest mid-term evaluation failed: its tranches wait for a pass.
SUSPENDED = """(g.state = 'approved' AND coalesce((SELECT NOT ev.passed FROM evaluations ev
                 WHERE ev.office = g.office AND ev.application_id = g.application_id
                 ORDER BY ev.streamversion DESC LIMIT 1), false))"""


def _grant_facts(f: Filters, alias: str, moment: str) -> tuple[str, list[Any]]:
    """Facts of a grant application (`alias`) in the place of its grant and in the period."""
    where, args = f.scope("g")
    period = f.period(f"{alias}.{moment}", args)
    return f"JOIN grants g USING (office, application_id) WHERE {where} AND {period}", args


async def reviews(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    joined, args = _grant_facts(f, "x", "happened_at")
    row = await db.fetchrow(
        f"""SELECT count(*) FILTER (WHERE x.kind = 'review') AS count,
                   round(avg(x.score) FILTER (WHERE x.kind = 'review'), 1) AS mean_score,
                   count(*) FILTER (WHERE x.kind = 'recusal') AS recusals,
                   count(DISTINCT x.application_id) FILTER (WHERE x.kind = 'review')
                       AS applications
            FROM reviews x {joined}""",
        *args,
    )
    return {
        "count": row["count"],
        "mean_score": None if row["mean_score"] is None else float(row["mean_score"]),
        "recusals": row["recusals"],
        "applications_reviewed": row["applications"],
    }


async def disbursements(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Tranches requested in the period, by what became of them."""
    joined, args = _grant_facts(f, "d", "requested_at")
    rows = await db.fetch(
        f"""SELECT CASE WHEN d.state = 'cancelled' THEN 'cancelled'
                        WHEN d.paid_at IS NOT NULL THEN 'paid'
                        ELSE 'awaiting_approval' END AS status,
                   count(*) AS count, sum(d.amount_fen) AS fen
            FROM disbursements d {joined} AND d.requested_at IS NOT NULL GROUP BY 1""",
        *args,
    )
    count = {r["status"]: r["count"] for r in rows}
    fen = {r["status"]: int(r["fen"]) for r in rows}
    return {
        "requested": sum(count.values()),
        "requested_fen": sum(fen.values()),
        "awaiting_approval": count.get("awaiting_approval", 0),
        "awaiting_approval_fen": fen.get("awaiting_approval", 0),
        "cancelled": count.get("cancelled", 0),
        "cancelled_fen": fen.get("cancelled", 0),
        "by_status": dict(sorted(count.items())),
        "by_status_fen": dict(sorted(fen.items())),
    }


async def expenses(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    joined, args = _grant_facts(f, "e", "reported_at")
    by_category = await _tally(
        db,
        f"""SELECT e.category, sum(e.amount_fen)::bigint FROM expenses e {joined}
            GROUP BY 1 ORDER BY 2 DESC, 1""",
        args,
    )
    return {"spent_fen": sum(by_category.values()), "by_category_fen": by_category}


async def evaluations(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    joined, args = _grant_facts(f, "ev", "evaluated_at")
    row = await db.fetchrow(
        f"""SELECT count(*) FILTER (WHERE ev.passed) AS passed,
                   count(*) FILTER (WHERE NOT ev.passed) AS failed
            FROM evaluations ev {joined}""",
        *args,
    )
    where, args = f.scope("g")
    suspended = await db.fetchval(
        f"SELECT count(*) FROM grants g WHERE {where} AND {SUSPENDED}", *args
    )
    return {"passed": row["passed"], "failed": row["failed"], "suspended_grants": suspended}


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

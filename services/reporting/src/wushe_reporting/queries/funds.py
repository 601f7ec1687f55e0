"""Figures of the funds service's facts: money, grant rounds, reviews, tranches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg

from wushe_reporting.queries.filters import Filters, tally
from wushe_reporting.queries.states import disbursement_status, round_state


async def money(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """The period's flows (raised, refunded, disbursed, by month) and the funds' balance — a
    stock, as it stands at the period's end (or at the moment counted)."""
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
    args.append(f.stock_end)
    balance = await db.fetchval(
        f"""SELECT coalesce(sum(CASE fl.kind WHEN 'donation' THEN fl.amount_fen
                                             ELSE -fl.amount_fen END), 0)
            FROM fund_flows fl JOIN funds fu USING (office, fund_id)
            WHERE {where} AND fl.happened_at < ${len(args)}""",
        *args,
    )
    where, args = f.scope("fu")
    funds_count = await db.fetchval(
        f"SELECT count(*) FROM funds fu WHERE {where} AND fu.name IS NOT NULL", *args
    )
    return {
        "funds": funds_count,
        "raised_fen": raised,
        "refunded_fen": refunded,
        "disbursed_fen": disbursed,
        "net_fen": raised - refunded - disbursed,  # the period's net flow
        "balance_fen": int(balance),
        "by_month": [
            {
                "month": m,
                "raised_fen": v["donation"],
                "refunded_fen": v["refund"],
                "disbursed_fen": v["disbursement"],
            }
            for m, v in months.items()
        ],
    }


def _submitted(f: Filters) -> tuple[str, list[Any]]:
    """The applications (`g`) of the place submitted in the period: those the projects table
    lists, as their export does (`grants.csv` takes a period by `submitted_at`)."""
    where, args = f.scope("g")
    period = f.period("g.submitted_at", args)
    return f"{where} AND g.round_id IS NOT NULL AND {period}", args


async def grants(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """The applications submitted in the period (by state, and each one); the rounds, the
    budget they have allocated and the grants overdue an update as they stand."""
    submitted, submitted_args = _submitted(f)
    by_state = await tally(
        db, f"SELECT state, count(*) FROM grants g WHERE {submitted} GROUP BY 1", submitted_args
    )
    where, args = f.scope("g")
    where += " AND g.round_id IS NOT NULL"
    due = f"${len(args) + 1}"  # the moment a grant's last update is overdue, after `args`
    allocated = await _per_round(
        db,
        f"""SELECT al.round_id,
                   coalesce(sum(al.amount_fen), 0) - coalesce(sum(al.released_fen), 0) AS fen
            FROM allocations al
            JOIN grants g USING (office, application_id) WHERE {where} GROUP BY 1""",
        args,
    )
    disbursed = await _per_round(
        db,
        f"""SELECT g.round_id, sum(d.amount_fen) AS fen FROM disbursements d
            JOIN grants g USING (office, application_id)
            WHERE {where} AND d.paid_at IS NOT NULL GROUP BY 1""",
        args,
    )
    envelopes = await _envelopes(db, f)
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
                "name": r["name"],
                "fund_id": None if r["fund_id"] is None else str(r["fund_id"]),
                "budget_fen": r["budget_fen"],
                "state": r["round_state"],
                "closes_at": r["closes_at"] and r["closes_at"].isoformat(),
                "applications": r["applications"],
                "approved": r["approved"],
                "approved_fen": int(r["approved_fen"]),
                "by_state": dict(sorted(states.get(r["round_id"], {}).items())),
                "allocated_fen": allocated.get(r["round_id"], 0),
                "disbursed_fen": disbursed.get(r["round_id"], 0),
                # The communities' parts of its budget, those of the place: null where the
                # round was not parted (or not for this place).
                "envelope_fen": (
                    sum(e["budget_fen"] for e in envelopes[r["round_id"]])
                    if r["round_id"] in envelopes
                    else None
                ),
                "communities": envelopes.get(r["round_id"], []),
            }
            for r in await _rounds(db, f)
        ],
        "allocated_fen": sum(allocated.values()),
        "update_due": await db.fetchval(
            f"SELECT count(*) FROM grants g WHERE {where} AND {UPDATE_DUE.format(due=due)}",
            *args,
            f.moment - UPDATE_INTERVAL,
        ),
        "by_application": await by_application(db, f),
    }


async def _envelopes(db: asyncpg.Connection, f: Filters) -> dict[Any, list[dict[str, Any]]]:
    """Each round's community envelopes in the place, with what was granted in each (its
    grants approved or completed there)."""
    where, args = f.scope("e")
    rows = await db.fetch(
        f"""SELECT e.round_id, e.community_id, e.budget_fen,
                   (SELECT coalesce(sum(g.approved_fen), 0) FROM grants g
                     WHERE g.office = e.office AND g.round_id = e.round_id
                       AND g.community_id = e.community_id
                       AND g.state IN ('approved', 'completed')) AS approved_fen
            FROM round_envelopes e WHERE {where} ORDER BY e.round_id, e.community_id""",
        *args,
    )
    envelopes: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        envelopes.setdefault(r["round_id"], []).append(
            {
                "community_id": r["community_id"],
                "budget_fen": r["budget_fen"],
                "approved_fen": int(r["approved_fen"]),
            }
        )
    return envelopes


async def _per_round(db: asyncpg.Connection, sql: str, args: list[Any]) -> dict[Any, int]:
    return {r["round_id"]: int(r["fen"]) for r in await db.fetch(sql, *args)}


async def _rounds(db: asyncpg.Connection, f: Filters) -> list[asyncpg.Record]:
    """The rounds of the place, each with what its applications there asked and were granted.
    An office's rounds are all of its rounds, those no one applied to yet among them; a street's
    or community's, those of its own funds, those with an envelope for it and those its
    projects applied to. A round whose
    opening has not arrived yet (events of two streams come in any order) shows with what its
    applications say, its budget and state unknown (null)."""
    where, args = f.scope("g")
    where += " AND g.round_id IS NOT NULL"
    if f.community is None and f.street is None:
        rounds_here = f.scope("r")[0]  # the office alone: the same parameters as `where`
    else:
        funds_here, envelopes_here = f.scope("fu")[0], f.scope("e")[0]
        rounds_here = f"""(EXISTS (SELECT 1 FROM funds fu WHERE fu.office = r.office
                               AND fu.fund_id = r.fund_id AND {funds_here})
                           OR EXISTS (SELECT 1 FROM round_envelopes e WHERE e.office = r.office
                               AND e.round_id = r.round_id AND {envelopes_here}))"""
    args.append(f.moment)
    return await db.fetch(
        f"""WITH here AS (SELECT g.office, g.round_id FROM grants g WHERE {where}
                          UNION SELECT r.office, r.round_id FROM rounds r WHERE {rounds_here})
            SELECT here.round_id, r.name, r.fund_id, r.budget_fen, r.closes_at,
                   {round_state("r", f"${len(args)}")} AS round_state,
                   count(g.application_id) AS applications,
                   count(*) FILTER (WHERE g.state IN ('approved', 'completed')) AS approved,
                   coalesce(sum(g.approved_fen), 0) AS approved_fen
            FROM here LEFT JOIN rounds r USING (office, round_id)
            LEFT JOIN grants g ON g.office = here.office AND g.round_id = here.round_id
                              AND {where}
            GROUP BY here.office, here.round_id, r.name, r.fund_id, r.budget_fen, r.closes_at,
                     r.state
            ORDER BY r.closes_at NULLS LAST, here.round_id""",
        *args,
    )


async def by_application(db: asyncpg.Connection, f: Filters) -> list[dict[str, Any]]:
    """Each application submitted in the period as it stands: its reviews and recusals, what
    was paid and what was spent to date."""
    where, args = _submitted(f)
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
              {SUSPENDED} AS suspended,
              {LAST_UPDATE} AS last_update_at,
              {UPDATE_DUE.format(due=f"${len(args) + 1}")} AS update_due
            FROM grants g WHERE {where}
            ORDER BY g.submitted_at, g.application_id""",
        *args,
        f.moment - UPDATE_INTERVAL,
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
            "last_update_at": r["last_update_at"] and r["last_update_at"].isoformat(),
            "update_due": r["update_due"],
        }
        for r in rows
    ]


# An approved grant whose latest mid-term evaluation failed: its tranches wait for a pass.
SUSPENDED = """(g.state = 'approved' AND coalesce((SELECT NOT ev.passed FROM evaluations ev
                 WHERE ev.office = g.office AND ev.application_id = g.application_id
                 ORDER BY ev.streamversion DESC LIMIT 1), false))"""


# A running grant's disclosure is to be updated at least every three months (慈善组织信息公开
# 办法 art. 17), as the funds service's projects list marks it.
UPDATE_INTERVAL = timedelta(days=90)

# When a grant was last heard of: its submission, its approval (the round's allocation), its
# tranches requested, approved, cancelled and paid, its expenses and its evaluations.
LAST_UPDATE = """greatest(g.submitted_at,
    (SELECT max(al.allocated_at) FROM allocations al
       WHERE al.office = g.office AND al.application_id = g.application_id),
    (SELECT max(greatest(d.requested_at, d.changed_at, d.paid_at)) FROM disbursements d
       WHERE d.office = g.office AND d.application_id = g.application_id),
    (SELECT max(e.reported_at) FROM expenses e
       WHERE e.office = g.office AND e.application_id = g.application_id),
    (SELECT max(ev.evaluated_at) FROM evaluations ev
       WHERE ev.office = g.office AND ev.application_id = g.application_id))"""

# A grant under way (approved, not completed) not heard of since `{due}`: overdue an update.
UPDATE_DUE = f"(g.state = 'approved' AND {LAST_UPDATE} <= {{due}})"


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
        f"""SELECT {disbursement_status("d")} AS status,
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
    by_category = await tally(
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

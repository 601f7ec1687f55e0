"""Figures of the needs service's facts: residents, surveys, needs, wishes, consent."""

from __future__ import annotations

from typing import Any

import asyncpg

from wushe_reporting.queries.filters import Filters, tally


async def residents(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("r")
    where += " AND NOT r.erased"
    by_group = await tally(
        db,
        f"""SELECT g, count(*) FROM residents r, unnest(r.groups) g
                                    WHERE {where} GROUP BY g ORDER BY g""",
        args,
    )
    by_band = await tally(
        db,
        f"""SELECT age_band, count(*) FROM residents r WHERE {where}
                                   GROUP BY age_band ORDER BY age_band""",
        args,
    )
    return {
        "total": sum(by_band.values()),
        "by_group": by_group,
        "by_age_band": by_band,
        "due_visit": await due_visits(db, f),
    }


DUE_AFTER_DAYS = 30


async def due_visits(db: asyncpg.Connection, f: Filters) -> int:
    """Residents due a visit (回访) at the filters' moment: none of their surveys, spot checks
    included, in the 30 days before it — nor of a duplicate record merged into theirs, however
    many merges ago (C into A, then A into B: C's surveys are B's visits); those who withdrew
    consent to services left out."""
    where, args = f.scope("r")
    args += [f.moment, DUE_AFTER_DAYS]
    moment, days = f"${len(args) - 1}", f"${len(args)}"
    found: int = await db.fetchval(
        f"""WITH RECURSIVE merged (office, resident_id, kept) AS (
                SELECT office, resident_id, merged_into FROM residents
                WHERE merged_into IS NOT NULL
              UNION  -- each record merged away, with every record its chain went into
                SELECT g.office, g.resident_id, k.merged_into FROM merged g JOIN residents k
                ON k.office = g.office AND k.resident_id = g.kept AND k.merged_into IS NOT NULL)
            SELECT count(*) FROM residents r
            WHERE {where} AND NOT r.erased AND r.registered_at < {moment}
              AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.office = r.office
                              AND c.resident_id = r.resident_id AND c.purpose = 'services'
                              AND NOT c.granted)
              AND NOT EXISTS (SELECT 1 FROM surveys s
                              WHERE s.office = r.office AND s.surveyed_at < {moment}
                              AND s.surveyed_at >= {moment} - make_interval(days => {days})
                              AND s.resident_id IN (
                                  SELECT r.resident_id UNION ALL SELECT g.resident_id
                                  FROM merged g WHERE g.office = r.office
                                  AND g.kept = r.resident_id))""",
        *args,
    )
    return found


async def surveys(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("s")
    where += " AND s.method IS NOT NULL AND " + f.period("s.surveyed_at", args)
    by_method = await tally(
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
        levels[dimension] = {str(level): 0 for level in range(4)} | await tally(
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
    by_category = await tally(
        db,
        f"SELECT category, count(*) FROM needs n WHERE {open_} GROUP BY 1 ORDER BY 2 DESC, 1",
        args,
    )
    by_urgency = await tally(
        db, f"SELECT urgency, count(*) FROM needs n WHERE {open_} GROUP BY 1", args
    )
    flow, flow_args = f.scope("n")
    flow += " AND n.category IS NOT NULL AND " + f.period("n.identified_at", flow_args)
    by_state = await tally(
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
    by_state = await tally(
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
    # To the hundredth (36 s): the dashboard shows a median under an hour in minutes.
    hours = lambda seconds: None if seconds is None else round(seconds / 3600, 2)  # noqa: E731
    return {
        "total": sum(by_state.values()),
        "by_state": by_state,
        "median_hours_to_claim": hours(times["to_claim"]),
        "median_hours_to_fulfil": hours(times["to_fulfil"]),
        "value_fen": int(times["value_fen"]),
        "with_progress": times["with_progress"],
    }


async def consent(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Residents with consent on record, per purpose, as it stands (erased residents drop out),
    in the community each resident lives in now (a consent event says where they lived then)."""
    where, args = f.scope("cs")  # not `c`: the street's condition names communities `c`
    where += " AND NOT cs.erased"
    consents = """(SELECT cs.office, cs.purpose, cs.granted, cs.given_by, cs.withdrawal_reason,
                          coalesce(r.community_id, cs.community_id) AS community_id,
                          coalesce(r.erased, false) AS erased
                   FROM consents cs LEFT JOIN residents r
                   ON r.office = cs.office AND r.resident_id = cs.resident_id) cs"""
    by_purpose = await tally(
        db,
        f"""SELECT purpose, count(*) FROM {consents} WHERE {where} AND cs.granted
            GROUP BY 1 ORDER BY 1""",
        args,
    )
    withdrawn = await db.fetchval(
        f"SELECT count(*) FROM {consents} WHERE {where} AND NOT cs.granted", *args
    )
    by_giver = await tally(
        db,
        f"""SELECT given_by, count(*) FROM {consents} WHERE {where} AND cs.granted
            GROUP BY 1 ORDER BY 1""",
        args,
    )
    withdrawn_by_reason = await tally(
        db,
        f"""SELECT coalesce(withdrawal_reason, 'not_recorded'), count(*) FROM {consents}
            WHERE {where} AND NOT cs.granted GROUP BY 1 ORDER BY 1""",
        args,
    )
    return {
        "by_purpose": by_purpose,
        "by_giver": by_giver,
        "withdrawn": withdrawn,
        "withdrawn_by_reason": withdrawn_by_reason,
    }

"""Figures of the needs service's facts: residents, surveys, needs, wishes, consent."""

from __future__ import annotations

from typing import Any

import asyncpg

from wushe_reporting.queries.filters import ONE, Filters, Per, Place, counts, tally


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
    due = await due_visits_per(db, f, ONE)
    return {
        "total": sum(by_band.values()),
        "by_group": by_group,
        "by_age_band": by_band,
        "due_visit": due.get((), 0),
    }


DUE_AFTER_DAYS = 30


async def due_visits_per(db: asyncpg.Connection, f: Filters, per: Per) -> dict[Place, int]:
    """Residents due a visit (回访) at the filters' moment: none of their surveys, spot checks
    included, in the 30 days before it — nor of a duplicate record merged into theirs, however
    many merges ago (C into A, then A into B: C's surveys are B's visits); those who withdrew
    consent to services left out."""
    # A resident's own surveys and those of the records merged into theirs are looked up
    # apart, each by index (office, resident_id, surveyed_at): one `IN (own UNION ALL merged)`
    # was a subplan run on every survey of the office in the window, for every resident.
    where, args = f.scope("r")
    args += [f.moment, DUE_AFTER_DAYS]
    moment, days = f"${len(args) - 1}", f"${len(args)}"
    return await counts(
        db,
        f"""WITH RECURSIVE merged (office, resident_id, kept) AS (
                SELECT office, resident_id, merged_into FROM residents
                WHERE merged_into IS NOT NULL
              UNION  -- each record merged away, with every record its chain went into
                SELECT g.office, g.resident_id, k.merged_into FROM merged g JOIN residents k
                ON k.office = g.office AND k.resident_id = g.kept AND k.merged_into IS NOT NULL)
            SELECT {per.select("r")}count(*) FROM residents r
            WHERE {where} AND NOT r.erased AND r.registered_at < {moment}
              AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.office = r.office
                              AND c.resident_id = r.resident_id AND c.purpose = 'services'
                              AND NOT c.granted)
              AND NOT EXISTS (SELECT 1 FROM surveys s
                              WHERE s.office = r.office AND s.resident_id = r.resident_id
                              AND s.surveyed_at < {moment}
                              AND s.surveyed_at >= {moment} - make_interval(days => {days}))
              AND NOT EXISTS (SELECT 1 FROM merged g JOIN surveys s
                              ON s.office = g.office AND s.resident_id = g.resident_id
                              WHERE g.office = r.office AND g.kept = r.resident_id
                              AND s.surveyed_at < {moment}
                              AND s.surveyed_at >= {moment} - make_interval(days => {days}))
            GROUP BY {per.group("r")}""",
        args,
        per,
    )


MONTH = "to_char(s.surveyed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
DIMENSIONS = ("physical", "psychological", "material", "spiritual")


async def surveys(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("s")
    where += " AND s.method IS NOT NULL AND " + f.period("s.surveyed_at", args)

    async def tally_of(key: str, condition: str = "true") -> dict[str, int]:
        return await tally(
            db,
            f"""SELECT {key}, count(*) FROM surveys s
                WHERE {where} AND {condition} GROUP BY {key} ORDER BY {key}""",
            args,
        )

    by_method = await tally_of("s.method")
    by_month = await tally_of(MONTH)
    levels = {d: await tally_of(f"s.{d}", "s.method <> 'spot_check'") for d in DIMENSIONS}
    discrepancies = await db.fetchval(
        f"SELECT count(*) FROM surveys s WHERE {where} AND s.discrepancy", *args
    )
    return {
        "total": sum(by_method.values()),
        "by_method": by_method,
        "by_month": [{"month": month, "count": n} for month, n in by_month.items()],
        "dimensions": {d: {str(level): 0 for level in range(4)} | levels[d] for d in DIMENSIONS},
        "spot_check_discrepancies": discrepancies,
    }


async def needs(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("n")
    where += " AND n.category IS NOT NULL"
    open_ = f"{where} AND n.state IN ('open', 'matched')"
    by_category = await tally(
        db,
        f"""SELECT n.category, count(*) FROM needs n WHERE {open_}
            GROUP BY n.category ORDER BY count(*) DESC, n.category""",
        args,
    )
    by_urgency = await tally(
        db, f"SELECT n.urgency, count(*) FROM needs n WHERE {open_} GROUP BY n.urgency", args
    )
    flow, flow_args = f.scope("n")
    flow += " AND n.category IS NOT NULL AND " + f.period("n.identified_at", flow_args)
    by_state = await tally(
        db, f"SELECT n.state, count(*) FROM needs n WHERE {flow} GROUP BY n.state", flow_args
    )
    return _needs(by_category, by_urgency, by_state)


def _needs(
    by_category: dict[str, int], by_urgency: dict[str, int], by_state: dict[str, int]
) -> dict[str, Any]:
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

    async def tally_of(key: str, granted: str) -> dict[str, int]:
        return await tally(
            db,
            f"""SELECT {key}, count(*) FROM {consents}
                WHERE {where} AND {granted} GROUP BY {key} ORDER BY {key}""",
            args,
        )

    return {
        "by_purpose": await tally_of("cs.purpose", "cs.granted"),
        "by_giver": await tally_of("cs.given_by", "cs.granted"),
        "withdrawn": await db.fetchval(
            f"SELECT count(*) FROM {consents} WHERE {where} AND NOT cs.granted", *args
        ),
        "withdrawn_by_reason": await tally_of(
            "coalesce(cs.withdrawal_reason, 'not_recorded')", "NOT cs.granted"
        ),
    }

"""Figures of the volunteers service's facts: people, teams, activities, hours."""

from __future__ import annotations

from typing import Any

import asyncpg

from wushe_reporting.queries.filters import Filters, tally
from wushe_reporting.queries.states import activity_state


async def volunteers(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    where, args = f.scope("v")
    where += " AND v.status IS NOT NULL"
    by_status = await tally(
        db, f"SELECT status, count(*) FROM volunteers v WHERE {where} GROUP BY 1", args
    )
    certified = await tally(
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
        teams = await tally(
            db, f"SELECT kind, count(*) FROM teams t WHERE {where} GROUP BY 1 ORDER BY 1", args
        )
    where, args = f.scope("p")
    pairings = await db.fetchval(f"SELECT count(*) FROM pairings p WHERE {where}", *args)
    where, args = f.scope("s")
    sites = await tally(
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
    by_kind = await tally(db, f"SELECT t.kind, count(*) {members} GROUP BY 1 ORDER BY 1", args)
    return {
        "team_members": row["members"],
        "volunteers_in_teams": row["volunteers"],
        "members_by_team_kind": by_kind,
    }


async def activities(db: asyncpg.Connection, f: Filters) -> dict[str, Any]:
    """Activities starting in the period: held (started by the moment counted), upcoming,
    cancelled; sign-ups and attendance, whose rate counts activities held only."""
    where, args = f.scope("a")
    where += " AND a.starts_at IS NOT NULL AND " + f.period("a.starts_at", args)
    args.append(f.moment)
    started = f"${len(args)}"
    accepted = f"""FROM signups s JOIN activities b USING (office, activity_id)
                   WHERE s.state = 'accepted' AND b.state = 'scheduled'
                     AND (s.office, s.activity_id) IN (SELECT office, activity_id
                                                       FROM activities a WHERE {where})"""
    state = activity_state("a", started)
    row = await db.fetchrow(
        f"""SELECT count(*) FILTER (WHERE {state} = 'held') AS held,
                   count(*) FILTER (WHERE {state} = 'upcoming') AS upcoming,
                   count(*) FILTER (WHERE {state} = 'cancelled') AS cancelled,
                   coalesce(sum(a.capacity) FILTER (WHERE a.state = 'scheduled'), 0) AS places,
                   (SELECT count(*) {accepted}) AS signed_up,
                   (SELECT count(*) {accepted} AND b.starts_at <= {started}) AS signed_up_held,
                   (SELECT count(*) {accepted} AND b.starts_at <= {started}
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
    # The share of those signed up (and still so) to activities held whose attendance is
    # recorded: sign-ups to activities yet to come have had no chance to attend.
    came, held = out.pop("came"), out.pop("signed_up_held")
    out["attendance_rate"] = round(came / held, 4) if held else None
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

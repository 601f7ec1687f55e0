"""Reads of the volunteers service's read tables, for the API and the certificate."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.errors import NotFound
from wushe_service import paging
from wushe_service.sql import Condition, one, where
from wushe_volunteers import store as tables
from wushe_volunteers.domain import certificate
from wushe_volunteers.domain.activity import NO_SHOW_AFTER
from wushe_volunteers.store import ATTENDANCE_TAKEN

# The order each register lists in: what its readers look for first, then the id.
ORDER: dict[str, dict[str, type]] = {
    "volunteers": {"registered_at": datetime, "volunteer_id": UUID},
    "teams": {"name": str, "team_id": UUID},
    "pairings": {"established_at": datetime, "pairing_id": UUID},
    "sites": {"name": str, "site_id": UUID},
}


# Hours records, with whether they await a social worker's confirmation of their wish: a
# wish's pending hours do until it is confirmed (which verifies them, corrected or not), then
# a coordinator's review (`commands.hours.verify_wish_hours`).
_HOURS = """SELECT *, (source = 'wish' AND state = 'pending' AND NOT EXISTS (
        SELECT FROM confirmed_wishes c WHERE c.wish_id = hours.source_id)) AS awaiting_confirmation
    FROM hours"""


# A team (a row of `teams`) where the person is a coordinator.
COORDINATED_BY = """team_id IN (SELECT team_id FROM team_members
    WHERE volunteer_id = ? AND role = 'coordinator')"""


async def listing(
    db: asyncpg.Connection,
    table: str,
    filters: list[Condition],
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """A page of one of the registers, oldest or A to Z first (`ORDER`)."""
    return await paging.fetch_page(
        db, f"SELECT * FROM {table}", filters, ORDER[table], limit, cursor
    )


async def activities(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    team_id: UUID | None,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    filters = [
        ("community_id = ?", one(community_id)),
        ("team_id = ?", one(team_id)),
        ("state = ?", one(state)),
    ]
    key = {"starts_at": datetime, "activity_id": UUID}
    return await paging.fetch_page(db, "SELECT * FROM activities", filters, key, limit, cursor)


async def open_activities(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    need_category: str | None,
    after: datetime,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """Activities still to come and not cancelled, soonest first, for the public: what, where,
    when, by which team, places left — nobody's name."""
    select = """SELECT a.activity_id, a.title, a.community_id, c.name AS community_name,
                       a.starts_at, a.ends_at, a.capacity,
                       greatest(a.capacity - a.signed_up, 0) AS places_left,
                       a.need_categories, t.name AS team, t.kind AS team_kind, s.name AS site
                FROM activities a JOIN teams t USING (team_id) LEFT JOIN sites s USING (site_id)
                     LEFT JOIN communities c ON c.community_id = a.community_id"""
    filters = [
        ("a.state = ?", ("scheduled",)),
        ("a.starts_at > ?", (after,)),
        ("a.community_id = ?", one(community_id)),
        ("? = ANY(a.need_categories)", one(need_category)),
    ]
    key = {"a.starts_at": datetime, "a.activity_id": UUID}
    return await paging.fetch_page(db, select, filters, key, limit, cursor)


async def hours(
    db: asyncpg.Connection,
    *,
    volunteer_id: UUID | None,
    team_id: UUID | None,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    filters = [
        ("volunteer_id = ?", one(volunteer_id)),
        ("team_id = ?", one(team_id)),
        ("state = ?", one(state)),
    ]
    key = {"recorded_at": datetime, "record_id": UUID}
    page = await paging.fetch_page(db, _HOURS, filters, key, limit, cursor)
    items = [r | {"hours": float(r["hours"])} for r in page.items]
    return paging.Page(items=items, next_cursor=page.next_cursor)


async def certified_hours(db: asyncpg.Connection, issued: dict[str, Any]) -> list[dict[str, Any]]:
    """The verified hours a certificate covers, by activity (wishes one line each), oldest
    first: those it lists, or (issued before certificates listed them) all the volunteer's."""
    covered = tables.covered_records(issued)
    rows = await db.fetch(
        """SELECT h.source, h.source_id, coalesce(a.title, '微心愿') AS title,
                  coalesce(a.starts_at, min(h.recorded_at)) AS date,
                  coalesce(t.name, '—') AS organiser, sum(h.hours) AS hours
           FROM hours h
           LEFT JOIN activities a ON h.source = 'activity' AND a.activity_id = h.source_id
           LEFT JOIN teams t ON t.team_id = h.team_id
           WHERE h.volunteer_id = $1 AND h.state = 'verified'
             AND ($2::uuid[] IS NULL OR h.record_id = ANY($2::uuid[]))
           GROUP BY h.source, h.source_id, a.title, a.starts_at, t.name
           ORDER BY 4, 3""",
        issued["volunteer_id"],
        None if covered is None else [record_id for record_id, _ in covered],
    )
    return [dict(r) | {"hours": float(r["hours"])} for r in rows]


async def registered(db: asyncpg.Connection, volunteer_id: UUID) -> None:
    """404 for a volunteer never registered (an erased one stays registered, pseudonymous)."""
    if not await db.fetchval("SELECT true FROM volunteers WHERE volunteer_id = $1", volunteer_id):
        raise NotFound("volunteer", volunteer_id)


async def latest_certificate(db: asyncpg.Connection, volunteer_id: UUID) -> dict[str, Any] | None:
    row = await db.fetchrow(
        """SELECT * FROM certificates WHERE volunteer_id = $1
           ORDER BY issued_at DESC LIMIT 1""",
        volunteer_id,
    )
    return dict(row) if row else None


async def certificates_of(
    db: asyncpg.Connection, volunteer_id: UUID, *, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """A page of the volunteer's certificates, the latest first; 404 for no such volunteer."""
    await registered(db, volunteer_id)
    after = ("(issued_at, certificate_id) < (?, ?)", paging.decode(cursor, datetime, UUID))
    sql, args = where(("volunteer_id = ?", (volunteer_id,)), after)
    rows = await db.fetch(
        f"SELECT * FROM certificates{sql} ORDER BY issued_at DESC, certificate_id DESC "
        f"LIMIT {limit + 1}",
        *args,
    )
    return paging.page([dict(r) for r in rows], limit, ("issued_at", "certificate_id"))


async def certificate_by_code(db: asyncpg.Connection, code: str) -> dict[str, Any] | None:
    row = await db.fetchrow("SELECT * FROM certificates WHERE code = $1", code)
    return dict(row) if row else None


async def still_valid(db: asyncpg.Connection, issued: dict[str, Any]) -> bool:
    """Whether the verified hours the certificate covers are unchanged."""
    verified = await tables.verified_records(db, issued["volunteer_id"])
    return certificate.still_valid(
        issued["volunteer_id"], issued["digest"], tables.covered_records(issued), verified
    )


async def display_name(db: asyncpg.Connection, volunteer_id: UUID) -> str | None:
    """The name the volunteer consented to show publicly, if any."""
    name: str | None = await db.fetchval(
        "SELECT display_name FROM volunteers WHERE volunteer_id = $1", volunteer_id
    )
    return name


async def activity(db: asyncpg.Connection, activity_id: UUID) -> dict[str, Any]:
    row = await db.fetchrow("SELECT * FROM activities WHERE activity_id = $1", activity_id)
    if row is None:
        raise NotFound("activity", activity_id)
    return dict(row)


async def hours_record(db: asyncpg.Connection, record_id: UUID) -> dict[str, Any]:
    row = await db.fetchrow(f"{_HOURS} WHERE record_id = $1", record_id)
    if row is None:
        raise NotFound("hours record", record_id)
    return dict(row) | {"hours": float(row["hours"])}


async def team_members(db: asyncpg.Connection, team_id: UUID) -> list[dict[str, Any]]:
    if not await db.fetchval("SELECT true FROM teams WHERE team_id = $1", team_id):
        raise NotFound("team", team_id)
    rows = await db.fetch(
        """SELECT volunteer_id, role FROM team_members WHERE team_id = $1
           ORDER BY role, volunteer_id""",
        team_id,
    )
    return [dict(r) for r in rows]


# A sign-up still open a day after its activity ended, no attendance recorded for it while
# its coordinators recorded others': a no-show (`activity.NO_SHOW_AFTER`, `ATTENDANCE_TAKEN`).
def _no_show(signups: str) -> str:
    """Whether a row of `signups` (so named in the query) is a no-show, as SQL."""
    return f"""({signups}.state = 'active' AND {signups}.ends_at
        < now() - interval '{NO_SHOW_AFTER.total_seconds():.0f} seconds'
        AND {ATTENDANCE_TAKEN.format(signups=signups)})"""


async def activity_signups(db: asyncpg.Connection, activity_id: UUID) -> list[dict[str, Any]]:
    """Who signed up for the activity (withdrawn too), in the order they did."""
    rows = await db.fetch(
        f"""SELECT volunteer_id, state, signed_up_at, checked_in_at, checked_out_at, record_id,
                  {_no_show("signups")} AS no_show
           FROM signups WHERE activity_id = $1
           ORDER BY signed_up_at NULLS FIRST, volunteer_id""",
        activity_id,
    )
    return [dict(r) for r in rows]


async def volunteer_signups(
    db: asyncpg.Connection,
    volunteer_id: UUID,
    *,
    state: str | None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """The volunteer's sign-ups with their activities, soonest first."""
    await registered(db, volunteer_id)
    select = f"""SELECT s.activity_id, a.title, a.team_id, a.community_id,
                       c.name AS community_name, p.name AS site, s.starts_at,
                       s.ends_at, s.state, a.state AS activity_state, s.signed_up_at,
                       s.checked_in_at, s.checked_out_at, s.record_id, {_no_show("s")} AS no_show
                FROM signups s JOIN activities a USING (activity_id)
                     LEFT JOIN sites p ON p.site_id = a.site_id
                     LEFT JOIN communities c ON c.community_id = a.community_id"""
    filters = [("s.volunteer_id = ?", (volunteer_id,)), ("s.state = ?", one(state))]
    key = {"s.starts_at": datetime, "s.activity_id": UUID}
    return await paging.fetch_page(db, select, filters, key, limit, cursor)

"""Reads of the needs service's read tables, for the API. Never personal data: that is only
ever read from the vault, by the roles that may."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_events.errors import NotFound
from wushe_needs.domain.need import OPEN_STATES, URGENCIES
from wushe_needs.domain.wish import LIVE
from wushe_service import paging
from wushe_service.sql import one, where


async def communities(
    db: asyncpg.Connection, *, street: str | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    filters = [("street = ?", one(street))]
    key = {"community_id": str}
    return await paging.fetch_page(db, "SELECT * FROM communities", filters, key, limit, cursor)


async def every_community(db: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every community of the office, `community_id`, `name` and `street` (a few hundred)."""
    rows = await db.fetch(
        "SELECT community_id, name, street FROM communities ORDER BY community_id"
    )
    return [dict(row) for row in rows]


async def community_exists(db: asyncpg.Connection, community_id: str) -> bool:
    found = await db.fetchval("SELECT 1 FROM communities WHERE community_id = $1", community_id)
    return found is not None


async def community_name(db: asyncpg.Connection, community_id: str) -> str | None:
    name: str | None = await db.fetchval(
        "SELECT name FROM communities WHERE community_id = $1", community_id
    )
    return name


async def community(db: asyncpg.Connection, community_id: str) -> dict[str, Any] | None:
    """The community's `name` and `street`; None when the office has no such community."""
    row = await db.fetchrow(
        "SELECT name, street FROM communities WHERE community_id = $1", community_id
    )
    return dict(row) if row else None


async def street_of(db: asyncpg.Connection, community_id: str) -> str | None:
    """The street (街道/乡镇) the community is on; None when the office has no such community."""
    street: str | None = await db.fetchval(
        "SELECT street FROM communities WHERE community_id = $1", community_id
    )
    return street


async def home_of(db: asyncpg.Connection, resident_id: UUID) -> tuple[str, str] | None:
    """The resident's community and its street; None when the office has no such resident."""
    row = await db.fetchrow(
        """SELECT r.community_id, c.street
           FROM residents r JOIN communities c USING (community_id)
           WHERE r.resident_id = $1""",
        resident_id,
    )
    return (row["community_id"], row["street"]) if row else None


async def living_on(db: asyncpg.Connection, resident_ids: list[UUID], street: str) -> set[UUID]:
    """Those of `resident_ids` whose community is on `street`."""
    rows = await db.fetch(
        """SELECT r.resident_id
           FROM residents r JOIN communities c USING (community_id)
           WHERE r.resident_id = ANY($1::uuid[]) AND c.street = $2""",
        resident_ids,
        street,
    )
    return {row["resident_id"] for row in rows}


async def filtering_by_community(db: asyncpg.Connection, community_id: str | None) -> None:
    """A list filtered by a community the office does not have is a 404 naming it, not an
    empty list: `community_id=fengsan` for fengshan would read as "nothing there"."""
    if community_id is not None and not await community_exists(db, community_id):
        raise NotFound("community", community_id)


async def resident_exists(db: asyncpg.Connection, resident_id: UUID) -> bool:
    return bool(await db.fetchval("SELECT 1 FROM residents WHERE resident_id = $1", resident_id))


async def kept_in(
    db: asyncpg.Connection, resident_ids: list[UUID], community_id: str
) -> list[UUID]:
    """Those of `resident_ids` who live in `community_id` and were not erased."""
    rows = await db.fetch(
        """SELECT resident_id FROM residents
           WHERE resident_id = ANY($1::uuid[]) AND community_id = $2 AND NOT erased
           ORDER BY resident_id""",
        resident_ids,
        community_id,
    )
    return [row["resident_id"] for row in rows]


async def residents(
    db: asyncpg.Connection, *, community_id: str | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    select = """SELECT resident_id, community_id, groups, age_band, erased, merged_into,
                       registered_at
                FROM residents"""
    filters = [("community_id = ?", one(community_id))]
    key = {"registered_at": datetime, "resident_id": UUID}  # in the order they were registered
    return await paging.fetch_page(db, select, filters, key, limit, cursor)


async def due_visits(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    group: str | None,
    before: datetime,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """Residents to visit again (回访): no survey of theirs, spot checks included, since
    `before` — nor of the duplicate records merged into theirs: a visit is the person's.
    Those never surveyed come first (by registration), then the longest unvisited; erased (and
    merged) residents and those who withdrew their consent to services are left out."""
    # A resident's own last survey is an index probe (surveys_by_resident, read backwards);
    # the records merged into theirs (and into those) are found once for the office — a few —
    # not by a recursive query for each resident.
    select = """WITH RECURSIVE merged (resident_id, into_id) AS (
                  SELECT resident_id, merged_into FROM residents WHERE merged_into IS NOT NULL
                  UNION SELECT m.resident_id, k.into_id FROM residents m
                        JOIN merged k ON m.merged_into = k.resident_id),
                merged_visits (into_id, last_visit) AS (
                  SELECT k.into_id, max(l.last_visit) FROM merged k
                  CROSS JOIN LATERAL (SELECT max(s.surveyed_at) AS last_visit FROM surveys s
                                      WHERE s.resident_id = k.resident_id) l
                  GROUP BY k.into_id)
                SELECT * FROM (
                  SELECT r.resident_id, r.community_id, r.groups, r.age_band, r.registered_at,
                         v.last_visit, (v.last_visit IS NOT NULL)::int AS visited,
                         coalesce(v.last_visit, r.registered_at) AS due_since
                  FROM residents r
                  LEFT JOIN merged_visits mv ON mv.into_id = r.resident_id
                  CROSS JOIN LATERAL (SELECT max(s.surveyed_at) AS last_visit FROM surveys s
                                      WHERE s.resident_id = r.resident_id) own
                  CROSS JOIN LATERAL (
                    SELECT greatest(own.last_visit, mv.last_visit) AS last_visit) v
                  WHERE NOT r.erased AND r.serving) due"""
    filters = [
        ("community_id = ?", one(community_id)),
        ("? = ANY(groups)", one(group)),
        ("(last_visit IS NULL OR last_visit < ?)", (before,)),
    ]
    key = {"visited": int, "due_since": datetime, "resident_id": UUID}
    async with db.transaction():
        # A probe per resident is estimated above jit_above_cost: PostgreSQL compiled the query
        # (JIT) for 0.1–0.9 s each time, to run it in a few ms.
        await db.execute("SET LOCAL jit = off")
        found = await paging.fetch_page(db, select, filters, key, limit, cursor)
    for item in found.items:
        del item["visited"], item["due_since"]
    return found


async def timeline(
    db: asyncpg.Connection, resident_id: UUID, *, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The resident's case file (个案档案): every event of theirs and of their surveys, needs and
    wishes, in the order recorded; with those of the duplicate records merged into theirs (and
    into those), so that the case file is whole. Events hold no personal data: this needs no
    vault."""
    after = paging.decode(cursor, int)
    rows = await db.fetch(
        f"""WITH RECURSIVE records (resident_id) AS (
                SELECT $1::uuid
                UNION SELECT r.resident_id FROM residents r
                      JOIN records m ON r.merged_into = m.resident_id),
            streams (aggregate, aggregate_id) AS (
                SELECT 'resident', resident_id::text FROM records
                UNION ALL SELECT 'survey', survey_id::text FROM surveys JOIN records USING
                    (resident_id)
                UNION ALL SELECT 'need', need_id::text FROM need_items JOIN records USING
                    (resident_id)
                UNION ALL SELECT 'wish', wish_id::text FROM wishes JOIN records USING
                    (resident_id))
            SELECT e.global_position AS position, e.event_type AS type, e.aggregate,
                   e.aggregate_id, e.occurred_at, e.data::text AS data
            FROM events e JOIN streams USING (aggregate, aggregate_id)
            WHERE $2::bigint IS NULL OR e.global_position > $2
            ORDER BY e.global_position LIMIT {limit + 1}""",
        resident_id,
        after[0] if after else None,
    )
    items = [dict(r) | {"data": orjson.loads(r["data"])} for r in rows]
    return paging.page(items, limit, ("position",))


async def assessment(db: asyncpg.Connection, resident_id: UUID) -> dict[str, Any] | None:
    """The resident's current assessment: that of their latest survey (not a spot check)."""
    row = await db.fetchrow(
        """SELECT assessment_survey_id, assessment::text AS dimensions, assessed_at
           FROM residents WHERE resident_id = $1 AND assessment IS NOT NULL""",
        resident_id,
    )
    if row is None:
        return None
    return {
        "survey_id": row["assessment_survey_id"],
        "assessed_at": row["assessed_at"],
        "dimensions": orjson.loads(row["dimensions"]),
    }


async def surveys(
    db: asyncpg.Connection,
    *,
    resident_id: UUID | None,
    community_id: str | None,
    method: str | None,
    discrepancy: bool | None = None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    filters = [
        ("resident_id = ?", one(resident_id)),
        ("community_id = ?", one(community_id)),
        ("method = ?", one(method)),
        ("discrepancy = ?", one(discrepancy)),
    ]
    key = {"surveyed_at": datetime, "survey_id": UUID}
    return await paging.fetch_page(db, "SELECT * FROM surveys", filters, key, limit, cursor)


async def superseded_by(db: asyncpg.Connection, survey: dict[str, Any]) -> UUID | None:
    """The later survey (not a spot check) of the same resident, if there is one."""
    value: UUID | None = await db.fetchval(
        """SELECT survey_id FROM surveys
           WHERE resident_id = $1 AND method <> 'spot_check'
             AND (surveyed_at, survey_id) > ($2, $3)
           ORDER BY surveyed_at, survey_id LIMIT 1""",
        survey["resident_id"],
        survey["surveyed_at"],
        survey["survey_id"],
    )
    return value


async def first_surveyed(db: asyncpg.Connection, resident_id: UUID) -> datetime | None:
    """When the resident was first surveyed (spot checks included), if ever."""
    value: datetime | None = await db.fetchval(
        "SELECT min(surveyed_at) FROM surveys WHERE resident_id = $1", resident_id
    )
    return value


def labelled(row: Any) -> dict[str, Any]:
    """A need's or wish's row with the label of its category beside the slug: 送餐 for
    meal-delivery (a category of the office's own reads as its slug)."""
    return dict(row) | {"category_label": NEED_CATEGORIES.label(row["category"])}


NEED_COLUMNS = """need_id, community_id, resident_id, survey_id, category, dimension, urgency,
    state, identified_at, match_kind, match_id, resolution, reason, resolved_at"""
# The most urgent first: a need's place in that order, as a column to page by.
_MOST_URGENT_FIRST = ", ".join(f"'{u.value}'" for u in reversed(URGENCIES))
_BY_URGENCY = f"""SELECT * FROM (SELECT {NEED_COLUMNS},
    array_position(ARRAY[{_MOST_URGENT_FIRST}], urgency) AS urgency_rank FROM need_items) AS n"""


async def needs_list(
    db: asyncpg.Connection,
    community_id: str,
    *,
    states: list[str] | None,
    category: str | None,
    urgency: str | None,
    limit: int,
    cursor: str | None,
    most_urgent_first: bool = False,
) -> dict[str, Any]:
    """The community needs list (需求清单): oldest first (or the most urgent first, then the
    oldest), with counts by category and urgency over the whole filtered list (not just this
    page)."""
    states = states or [s.value for s in OPEN_STATES]
    filters = [
        ("community_id = ?", (community_id,)),
        ("state = ANY(?)", (states,)),
        ("category = ?", one(category)),
        ("urgency = ?", one(urgency)),
    ]
    key: dict[str, type] = {"identified_at": datetime, "need_id": UUID}
    select = f"SELECT {NEED_COLUMNS} FROM need_items"
    if most_urgent_first:
        key, select = {"urgency_rank": int, **key}, _BY_URGENCY
    listed = await paging.fetch_page(db, select, filters, key, limit, cursor)
    for item in listed.items:
        item.pop("urgency_rank", None)  # the order's, not the need's
    count_sql, count_args = where(*filters)
    tally = await db.fetch(
        f"""SELECT category, urgency, count(*) AS n FROM need_items{count_sql}
            GROUP BY category, urgency""",
        *count_args,
    )
    by_category: Counter[str] = Counter()
    by_urgency: Counter[str] = Counter()
    for row in tally:
        by_category[row["category"]] += row["n"]
        by_urgency[row["urgency"]] += row["n"]
    return {
        "community_id": community_id,
        "total": sum(by_category.values()),
        "by_category": dict(sorted(by_category.items())),
        "by_urgency": dict(by_urgency),
        "items": [labelled(n) for n in listed.items],
        "next_cursor": listed.next_cursor,
    }


async def need(db: asyncpg.Connection, need_id: UUID) -> dict[str, Any] | None:
    row = await db.fetchrow(f"SELECT {NEED_COLUMNS} FROM need_items WHERE need_id = $1", need_id)
    return labelled(row) if row else None


# The claimant's name is the one they show now (k: the replica of volunteers and teams), gone
# once they are erased: on the staff's lists as on the public board.
CLAIMANT_NAME = "CASE WHEN k.claimant_id IS NULL THEN w.claimant_display ELSE k.display END"
WISH_COLUMNS = f"""w.wish_id, w.community_id, w.resident_id, w.need_id, w.category, w.title,
    w.value_fen, w.deadline, w.state, w.posted_at, w.claimant_id, w.claimant_kind,
    {CLAIMANT_NAME} AS claimant_display, w.claimed_at, w.last_activity_at, w.fulfilled_at,
    w.hours"""

# The public board: what a wish is and who took it on; never who it is for.
PUBLIC_COLUMNS = f"""w.wish_id, w.community_id, c.name AS community_name, w.category, w.title,
    w.value_fen, w.deadline, w.state, w.posted_at, w.claimant_kind,
    {CLAIMANT_NAME} AS claimant_name"""


async def wishes(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    states: list[str] | None,
    limit: int,
    cursor: str | None,
    public: bool = False,
    claimant_id: UUID | None = None,
) -> paging.Page[dict[str, Any]]:
    states = states or [s.value for s in LIVE]
    columns = PUBLIC_COLUMNS if public else WISH_COLUMNS
    page = await paging.fetch_page(
        db,
        f"""SELECT {columns} FROM wishes w LEFT JOIN communities c USING (community_id)
            LEFT JOIN claimants k ON k.claimant_id = w.claimant_id""",
        [
            ("w.community_id = ?", one(community_id)),
            ("w.state = ANY(?)", (states,)),
            ("w.claimant_id = ?", one(claimant_id)),
        ],
        {"w.posted_at": datetime, "w.wish_id": UUID},
        limit,
        cursor,
    )
    return paging.Page(items=[labelled(w) for w in page.items], next_cursor=page.next_cursor)


async def wish(db: asyncpg.Connection, wish_id: UUID) -> dict[str, Any] | None:
    row = await db.fetchrow(
        f"""SELECT {WISH_COLUMNS} FROM wishes w
            LEFT JOIN claimants k ON k.claimant_id = w.claimant_id WHERE w.wish_id = $1""",
        wish_id,
    )
    return labelled(row) if row else None


async def due_wishes(db: asyncpg.Connection, now: datetime) -> list[UUID]:
    """Live wishes whose deadline has passed."""
    rows = await db.fetch(
        "SELECT wish_id FROM wishes WHERE state = ANY($1) AND deadline <= $2 ORDER BY deadline",
        [s.value for s in LIVE],
        now,
    )
    return [r["wish_id"] for r in rows]


async def stale_claims(db: asyncpg.Connection, idle_since: datetime) -> list[UUID]:
    """Claimed wishes with no progress since `idle_since`."""
    rows = await db.fetch(
        """SELECT wish_id FROM wishes WHERE state = 'claimed' AND last_activity_at <= $1
           ORDER BY last_activity_at""",
        idle_since,
    )
    return [r["wish_id"] for r in rows]


async def live_wishes_of(db: asyncpg.Connection, resident_id: UUID) -> list[UUID]:
    """The resident's wishes still posted or claimed."""
    rows = await db.fetch(
        "SELECT wish_id FROM wishes WHERE resident_id = $1 AND state = ANY($2) ORDER BY wish_id",
        resident_id,
        [s.value for s in LIVE],
    )
    return [r["wish_id"] for r in rows]


async def open_needs_by_kind(
    db: asyncpg.Connection, resident_id: UUID
) -> dict[tuple[str, str], UUID]:
    """The resident's needs still open or matched, by category and dimension (the first
    identified, where an earlier version let one be listed twice)."""
    rows = await db.fetch(
        """SELECT need_id, category, dimension FROM need_items
           WHERE resident_id = $1 AND state = ANY($2) ORDER BY identified_at DESC, need_id DESC""",
        resident_id,
        [s.value for s in OPEN_STATES],
    )
    return {(r["category"], r["dimension"]): r["need_id"] for r in rows}


async def open_needs_of(db: asyncpg.Connection, resident_id: UUID) -> list[UUID]:
    """The resident's needs still open or matched on the needs list."""
    rows = await db.fetch(
        """SELECT need_id FROM need_items WHERE resident_id = $1 AND state = ANY($2)
           ORDER BY need_id""",
        resident_id,
        [s.value for s in OPEN_STATES],
    )
    return [r["need_id"] for r in rows]


async def claimed_by(db: asyncpg.Connection, claimant_id: UUID) -> list[UUID]:
    """The wishes the claimant holds now."""
    rows = await db.fetch(
        "SELECT wish_id FROM wishes WHERE claimant_id = $1 AND state = 'claimed' ORDER BY wish_id",
        claimant_id,
    )
    return [r["wish_id"] for r in rows]

"""The public needs list (需求清单公示): each community's open needs as counts, for volunteers,
social organisations and donors to see what is needed. Aggregates only: no need, resident or
survey ids, no notes, nothing about one person — nor a count small enough to point at one
(every count rounded, the small ones withheld: below)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, tzinfo
from typing import Any

import asyncpg

from wushe_events.catalogue.needs import MatchKind, Urgency
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_needs.domain.need import OPEN_STATES
from wushe_service import communities, small_cells
from wushe_service.sql import one, snapshot, where


def _counts(rows: list[Any], zone: tzinfo) -> dict[str, Any]:
    """Counts of `rows` (state, match kind, urgency, n, oldest open): the needs still open
    (waiting for an answer), those matched, by what answers them, and all by urgency."""
    kinds: Counter[str] = Counter({k.value: 0 for k in MatchKind})
    urgencies: Counter[str] = Counter({u.value: 0 for u in reversed(Urgency)})
    open_, oldest = 0, None
    for row in rows:
        urgencies[row["urgency"]] += row["n"]
        if row["state"] == "open":
            open_ += row["n"]
            oldest = min(filter(None, [oldest, row["oldest_open"]]), default=None)
        else:
            kinds[row["match_kind"]] += row["n"]
    return {
        "total": open_ + kinds.total(),
        "open": open_,
        "matched": kinds.total(),
        "matched_by_kind": dict(kinds),
        "by_urgency": dict(urgencies),
        "oldest_open_since": _day(oldest, zone),
    }


def _day(moment: datetime | None, zone: tzinfo) -> date | None:
    # A date as the office's calendar reads it: a need found at 07:00 in Ningbo is that day's.
    return None if moment is None else moment.astimezone(zone).date()


def _categories(rows: list[Any], zone: tzinfo) -> list[dict[str, Any]]:
    by_category: dict[str, list[Any]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    return [
        {"category": c, "category_label": NEED_CATEGORIES.label(c)} | _counts(found, zone)
        for c, found in by_category.items()
    ]


# The counts of a table — a category's, a community's totals, the totals over those selected —
# as reporting's public figures show theirs (wushe_service.small_cells): every one rounded to a
# multiple of `least`, small or not, and the small ones withheld. One rule for every public count
# about residents: an exact table here, beside the same needs rounded on the dashboard or less
# another table, would narrow a withheld count back.
COUNTS = ("total", "open", "matched", "matched_by_kind", "by_urgency")


def _rounded(counts: dict[str, Any], least: int) -> dict[str, Any]:
    """`counts` as the public reads them; `below` and `rounded_to` say so (0 or 1: exact)."""
    if least <= 1:
        return counts
    shown = counts | {k: small_cells.rounded(counts[k], least) for k in COUNTS}
    if not shown["open"]:  # the day the only need or two waiting were found: their visit's
        shown["oldest_open_since"] = None
    return shown | small_cells.marks(least)


def _most_waiting(counts: dict[str, Any]) -> tuple[float, float, str]:
    """Those waiting for an answer most first, by the counts shown: ordered by the exact ones,
    two withheld counts would say which is the larger."""

    def shown(n: int | None) -> float:
        return counts["below"] - 0.5 if n is None else n

    return (-shown(counts["open"]), -shown(counts["matched"]), counts["category"])


def _community(rows: list[Any], zone: tzinfo, least: int) -> dict[str, Any]:
    """A community's totals and its categories, as the public reads them."""
    categories = [_rounded(c, least) for c in _categories(rows, zone)]
    return {
        "totals": _rounded(_counts(rows, zone), least),
        "categories": sorted(categories, key=_most_waiting),
    }


async def needs_list(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    street: str | None,
    zone: tzinfo,
    limit: int,
    cursor: str | None,
    least: int,
) -> dict[str, Any]:
    """A page of communities, by street and name, each with its open needs counted; `totals`
    over every community the filters select, not just this page. A community with no open need
    is listed (with zeros) only when asked for by its id: a list of the office's or a street's
    communities shows where something is needed. Every count is rounded to a multiple of
    `least`, those from 1 to `least` - 1 withheld (0 or 1: all exact)."""
    states = [s.value for s in OPEN_STATES]
    async with snapshot(db):
        page = await communities.public_page(
            db,
            community_id=community_id,
            street=street,
            limit=limit,
            cursor=cursor,
            having=(
                """EXISTS (SELECT 1 FROM need_items n
                           WHERE n.community_id = c.community_id AND n.state = ANY(?))""",
                (states,),
            ),
        )
        sql, args = where(
            ("n.state = ANY(?)", (states,)),
            ("c.community_id = ?", one(community_id)),
            ("c.street = ?", one(street)),
        )
        rows = await db.fetch(
            f"""SELECT n.community_id, n.category, n.state, n.match_kind, n.urgency,
                       count(*) AS n, min(n.identified_at) AS oldest_open
                FROM need_items n JOIN communities c USING (community_id){sql}
                GROUP BY n.community_id, n.category, n.state, n.match_kind, n.urgency""",
            *args,
        )
    by_community: dict[str, list[Any]] = {}
    for row in rows:
        by_community.setdefault(row["community_id"], []).append(row)
    tables = {c: _community(its, zone, least) for c, its in by_community.items()}
    empty = _community([], zone, least)
    items = [c | tables.get(c["community_id"], empty) for c in page.items]
    totals = _rounded(_counts(rows, zone), least)
    # The communities counted: those with needs listed, or the one asked for.
    counted = 1 if community_id else len(by_community)
    return {
        "community_id": community_id,
        "street": street,
        "totals": totals | {"communities": counted},
        "items": items,
        "next_cursor": page.next_cursor,
    }

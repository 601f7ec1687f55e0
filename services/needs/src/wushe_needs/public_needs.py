"""The public needs list (需求清单公示): each community's open needs as counts, for volunteers,
social organisations and donors to see what is needed. Aggregates only: no need, resident or
survey ids, no notes, nothing about one person — nor a count small enough to point at one
(small-cell suppression, below)."""

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


# Small-cell suppression (wushe_service.small_cells): a community's categories and totals make
# one table; the totals over the communities selected, another, coarsened too when any
# community's is (exact, they would give its counts back by subtraction).


def _figures(counts: dict[str, Any]) -> list[int | None]:
    return [
        counts["total"],
        counts["open"],
        counts["matched"],
        *counts["matched_by_kind"].values(),
        *counts["by_urgency"].values(),
    ]


def _has_small(counts: dict[str, Any], least: int) -> bool:
    return small_cells.has_small(_figures(counts), least)


def _coarsened(counts: dict[str, Any], least: int) -> dict[str, Any]:
    """`counts` with every count from 1 to `least` - 1 withheld (None) and the others rounded
    to the nearest multiple of `least`; `below` and `rounded_to` say so."""

    def shown(n: int) -> int | None:
        return small_cells.shown(n, least)

    open_ = shown(counts["open"])
    return (
        counts
        | {
            "total": shown(counts["total"]),
            "open": open_,
            "matched": shown(counts["matched"]),
            "matched_by_kind": {k: shown(n) for k, n in counts["matched_by_kind"].items()},
            "by_urgency": {u: shown(n) for u, n in counts["by_urgency"].items()},
            # The day the only need or two waiting were found would be the day of their visit.
            "oldest_open_since": counts["oldest_open_since"] if open_ else None,
        }
        | small_cells.marks(least)
    )


def _most_waiting(counts: dict[str, Any]) -> tuple[float, float, str]:
    """Those waiting for an answer most first, by the counts shown: ordered by the exact ones,
    two withheld counts would say which is the larger."""

    def shown(n: int | None) -> float:
        return counts["below"] - 0.5 if n is None else n

    return (-shown(counts["open"]), -shown(counts["matched"]), counts["category"])


def _community(rows: list[Any], zone: tzinfo, least: int) -> dict[str, Any]:
    """A community's totals and its categories, as one table: coarsened together or not at all."""
    totals, categories = _counts(rows, zone), _categories(rows, zone)
    if least > 1 and (_has_small(totals, least) or any(_has_small(c, least) for c in categories)):
        totals = _coarsened(totals, least)
        categories = [_coarsened(c, least) for c in categories]
    return {"totals": totals, "categories": sorted(categories, key=_most_waiting)}


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
    communities shows where something is needed. Counts from 1 to `least` - 1 are withheld
    (0 or 1: none is)."""
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
    totals = _counts(rows, zone)
    # Exact totals over a community coarsened would give its counts back by subtraction.
    if least > 1 and (
        _has_small(totals, least) or any("below" in t["totals"] for t in tables.values())
    ):
        totals = _coarsened(totals, least)
    # The communities counted: those with needs listed, or the one asked for.
    counted = 1 if community_id else len(by_community)
    return {
        "community_id": community_id,
        "street": street,
        "totals": totals | {"communities": counted},
        "items": items,
        "next_cursor": page.next_cursor,
    }

"""The figures as anyone reads them, without a token: the counts about residents small enough to
point at one withheld, by the rule of `wushe_service.small_cells` (WUSHE_PUBLIC_MIN_COUNT).

Each section of the figures about residents is one table (its counts sum into each other: the
age bands into the total, the levels of each dimension into the surveys). A street's or a
community's table with a small count has every count rounded and the small ones withheld
(`null`, with `"below"` and `"rounded_to"`), as the needs' public list does. A street's or an
office's also when one of its communities' is: else the street less its other communities (or
the office less its other streets) would give that community's counts back. An office's (or all
offices') totals (`total`, `open`) stay exact unless small themselves: an office is large
enough for its totals to point at nobody. Money, volunteers, hours and teams point at no
resident and stay exact.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

import asyncpg

from wushe_reporting.queries import Filters
from wushe_reporting.queries.filters import COMMUNITY, Place
from wushe_reporting.queries.needs import consent_per, needs_per, residents_per, surveys_per
from wushe_service.small_cells import has_small, is_small, marks, shown

# The sections about residents, and the keys of each whose counts make its table.
SECTIONS: Mapping[str, tuple[str, ...]] = {
    "residents": ("total", "by_group", "by_age_band", "due_visit"),
    "surveys": ("total", "by_method", "by_month", "dimensions", "spot_check_discrepancies"),
    "needs": ("open", "by_category", "by_urgency", "by_state"),
    "consent": ("by_purpose", "by_giver", "withdrawn", "withdrawn_by_reason"),
}
PER_COMMUNITY = {
    "residents": residents_per,
    "surveys": surveys_per,
    "needs": needs_per,
    "consent": consent_per,
}
# An office's totals, exact unless small themselves.
TOTALS = frozenset({"total", "open"})
# The headline figures about residents in the overview and in a street's communities.
HEADLINES = ("residents", "surveys", "open_needs", "due_visit")


def counts(value: Any) -> Iterable[int]:
    """Every count in `value`: the numbers of a tally, a list of months, levels by dimension."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from counts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from counts(inner)


def _mapped(value: Any, change: Callable[[int], int | None]) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return change(value)
    if isinstance(value, Mapping):
        return {k: _mapped(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_mapped(v, change) for v in value]
    return value


def _table(section: Mapping[str, Any], keys: Iterable[str]) -> list[int]:
    return [n for key in keys for n in counts(section.get(key))]


def coarsened(
    section: Mapping[str, Any], keys: Iterable[str], least: int, *, office: bool
) -> dict[str, Any]:
    """`section` with the counts under `keys` rounded and the small ones withheld; an office's
    totals kept exact unless small."""

    def one(key: str, value: Any) -> Any:
        if office and key in TOTALS and not is_small(value, least):
            return value
        return _mapped(value, lambda n: shown(n, least))

    out = {k: one(k, v) if k in keys else v for k, v in section.items()}
    if "coverage" in out:  # answered / identified, of counts now rounded
        out["coverage"] = None
    return out | marks(least)


def figures(
    found: Mapping[str, Any], least: int, f: Filters, within: Collection[str] = ()
) -> dict[str, Any]:
    """`found` (/api/figures of the filter `f`) as anyone reads it; the sections in `within`
    are coarsened whatever their own counts (one of the place's communities has a small one)."""
    out = dict(found)
    for name, keys in SECTIONS.items():
        if name in found and (name in within or has_small(_table(found[name], keys), least)):
            out[name] = coarsened(found[name], keys, least, office=not f.placed)
    return out


async def small_within(db: asyncpg.Connection, f: Filters, least: int) -> set[str]:
    """The sections in which one of the communities of the filter's street or office (or of
    all offices) has a small count: none for a community, or with nothing withheld. Every
    community's counts of a section come at once (its queries grouped by community), whatever
    the number of communities."""
    if f.community or least <= 1:
        return set()
    rows = await db.fetch(
        """SELECT office, community_id FROM communities WHERE name IS NOT NULL
           AND ($1::text IS NULL OR street = $1) AND ($2::text IS NULL OR office = $2)""",
        f.street,
        f.office,
    )
    listed = {(row["office"], row["community_id"]) for row in rows}
    if not listed:
        return set()
    return {
        name
        for name, keys in SECTIONS.items()
        if _any_small(await PER_COMMUNITY[name](db, f, COMMUNITY), listed, keys, least)
    }


def _any_small(
    found: Mapping[Place, Mapping[str, Any]],
    listed: Collection[Place],
    keys: Iterable[str],
    least: int,
) -> bool:
    """Whether the table of one of the `listed` communities in `found` has a small count (one
    not in `found` counts nothing)."""
    return any(
        has_small(_table(section, keys), least)
        for place, section in found.items()
        if place in listed
    )


def small_in(places: Iterable[Mapping[str, Any]], least: int) -> set[str]:
    """The sections in which one of `places`' figures (each office's, in a snapshot) has a
    small count."""
    return {
        name
        for found in places
        for name, keys in SECTIONS.items()
        if name in found and has_small(_table(found[name], keys), least)
    }


def headlines(row: Mapping[str, Any], least: int, *, office: bool) -> dict[str, Any]:
    """An office's (overview) or a community's (drill-down) headline figures as anyone reads
    them: a community's as one table; an office's each withheld only when small."""
    keys = [k for k in HEADLINES if k in row]
    if not has_small((row[k] for k in keys), least):
        return dict(row)
    if office:
        return dict(row) | {k: None for k in keys if is_small(row[k], least)} | {"below": least}
    return dict(row) | {k: shown(row[k], least) for k in keys} | marks(least)


def overview(found: Mapping[str, Any], least: int) -> dict[str, Any]:
    """The overview as anyone reads it: an office's headline withheld when small, and the
    totals over the offices rounded where one is (exact, they would give it back)."""
    offices = [headlines(o, least, office=True) for o in found["offices"]]
    totals = dict(found["totals"])
    for key in HEADLINES:
        if key in totals and any(o[key] is None for o in offices):
            totals[key] = shown(totals[key], least)
    return dict(found) | {"offices": offices, "totals": totals}


def places(found: Mapping[str, Any], least: int) -> dict[str, Any]:
    """An office's streets and communities as anyone reads them: each community's headline
    figures one table."""
    streets = [
        s | {"communities": [headlines(c, least, office=False) for c in s["communities"]]}
        for s in found["streets"]
    ]
    return dict(found) | {"streets": streets}

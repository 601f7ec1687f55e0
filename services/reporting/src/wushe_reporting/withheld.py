"""The figures as anyone reads them, without a token: every count about residents rounded to a
multiple of WUSHE_PUBLIC_MIN_COUNT and the small ones withheld (`wushe_service.small_cells`).

Every count, not only a table with a small one: the figures are asked for by any office, street,
community and period, and an exact count less another (an office less its shown communities, a
year less its shown months, October-December less October-November) gives back a count withheld
in its own table. Complementary suppression — withholding the next-smallest cell too — holds
only within the tables it is worked out over, not across every place and period a reader may
ask for; rounding every count does, at every level alike (community, street, office, all
offices, overview, drill-down, snapshot): a difference of two shown counts is a range, not a
count. Like any rounding it narrows, it does not abolish, what many overlapping differences can
tell (see `small_cells`). A count moves by at most half the threshold (3,001 residents read as
3,000), zero stays 0, and the sections say so with `"below"` and `"rounded_to"`. Money,
volunteers, hours and teams point at no resident and stay exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wushe_service.small_cells import marks, rounded, shown

# The sections about residents, and the keys of each that hold counts.
SECTIONS: Mapping[str, tuple[str, ...]] = {
    "residents": ("total", "by_group", "by_age_band", "due_visit"),
    "surveys": ("total", "by_method", "by_month", "dimensions", "spot_check_discrepancies"),
    "needs": ("open", "by_category", "by_urgency", "by_state"),
    "consent": ("by_purpose", "by_giver", "withdrawn", "withdrawn_by_reason"),
}
# The headline figures about residents in the overview and in a street's communities.
HEADLINES = ("residents", "surveys", "open_needs", "due_visit")


def coarsened(section: Mapping[str, Any], keys: tuple[str, ...], least: int) -> dict[str, Any]:
    """`section` with the counts under `keys` rounded and the small ones withheld."""
    out = {k: rounded(v, least) if k in keys else v for k, v in section.items()}
    if "coverage" in out:
        out["coverage"] = _coverage(out["by_state"])
    return out | marks(least)


def _coverage(by_state: Mapping[str, int | None]) -> float | None:
    """The share of needs answered, of the counts as shown (the exact share, with the rounded
    counts beside it, would narrow them back); none where one is withheld."""
    if any(n is None for n in by_state.values()):
        return None
    total = sum(n for n in by_state.values() if n is not None)
    answered = sum(by_state.get(s) or 0 for s in ("matched", "resolved"))
    return round(answered / total, 4) if total else None


def figures(found: Mapping[str, Any], least: int) -> dict[str, Any]:
    """`found` (/api/figures, or a snapshot's) as anyone reads it."""
    if least <= 1:
        return dict(found)
    return dict(found) | {
        name: coarsened(found[name], keys, least)
        for name, keys in SECTIONS.items()
        if name in found
    }


def headlines(row: Mapping[str, Any], least: int) -> dict[str, Any]:
    """An office's (overview) or a community's (drill-down) headline figures, or the overview's
    totals, as anyone reads them."""
    keys = [k for k in HEADLINES if k in row]
    if least <= 1 or not keys:
        return dict(row)
    return dict(row) | {k: shown(row[k], least) for k in keys} | marks(least)


def overview(found: Mapping[str, Any], least: int) -> dict[str, Any]:
    """The overview as anyone reads it: each office's headline figures about residents, and
    their totals (the total of the exact figures, rounded: not the sum of the rounded ones)."""
    offices = [headlines(o, least) for o in found["offices"]]
    return dict(found) | {"offices": offices, "totals": headlines(found["totals"], least)}


def places(found: Mapping[str, Any], least: int) -> dict[str, Any]:
    """An office's streets and communities as anyone reads them."""
    streets = [
        s | {"communities": [headlines(c, least) for c in s["communities"]]}
        for s in found["streets"]
    ]
    return dict(found) | {"streets": streets}

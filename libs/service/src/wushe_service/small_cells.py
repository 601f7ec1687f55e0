"""Small-cell suppression of the figures anyone may read: a count too small to point at nobody
is withheld, and every other count rounded so that subtraction does not give it back.

In a small community "1 elderly person living alone needing meals" points at a household, so a
count from 1 to `least` - 1 is shown only as fewer than `least`. Withholding that one cell is
not enough: a table also publishes its sums (a category's total = its urgencies; a community's
totals = its categories; the totals = the communities), and subtraction would give it back.
Complementary suppression (withholding other cells until no sum does) is a search over all
those overlapping sums, and holds only within the tables it is worked out over; the public
figures are asked for by any place and period, so one exact table less another (an office less
its communities, a street less one of them, two months less one) would give back what neither
shows. So every count about residents the public reads, small or not, is rounded to the nearest
multiple of `least` and the small ones withheld (`rounded`): the difference of two shown counts
is a range at least `least` wide, not a count. It narrows, it does not abolish, what many
overlapping differences can tell — the price of figures that still read as numbers. Zero is
always shown, as it points at nobody. `least` 0 or 1: nothing is withheld nor rounded.

One rule for the office (WUSHE_PUBLIC_MIN_COUNT): reporting's public figures (`withheld`) and
the needs' public list (`public_needs`) both round every count with it. A table shown rounded
says so with `"below": least` and `"rounded_to": least` (`marks`), and the pages mark its
counts as such: 少于3 or <3, 约6 or "about 6".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_small(n: int | None, least: int) -> bool:
    """Whether `n` is a count that could point at someone: from 1 to `least` - 1."""
    return n is not None and 0 < n < least


def shown(n: int, least: int) -> int | None:
    """`n` as the public reads it: withheld (None) when small, else rounded to the
    nearest multiple of `least` (a half up); 0 stays 0."""
    if least <= 1:
        return n
    return None if is_small(n, least) else (2 * n + least) // (2 * least) * least


def rounded(value: Any, least: int) -> Any:
    """Every count in `value` — a number, or the numbers of a tally, a list of months, levels
    by dimension — as `shown`; anything else (a flag, a date, a label) as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return shown(value, least)
    if isinstance(value, Mapping):
        return {k: rounded(v, least) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v, least) for v in value]
    return value


def marks(least: int) -> dict[str, Any]:
    """What a rounded table says of itself: counts below `least` withheld, the others
    rounded to a multiple of it."""
    return {"below": least, "rounded_to": least}

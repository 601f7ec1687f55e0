"""Small-cell suppression of the figures anyone may read: a count too small to point at nobody
is withheld, and the others of its table rounded so that subtraction does not give it back.

In a small community "1 elderly person living alone needing meals" points at a household, so a
count from 1 to `least` - 1 is shown only as fewer than `least`. Withholding that one cell is
not enough: a table also publishes its sums (a category's total = its urgencies; a community's
totals = its categories; the totals = the communities), and subtraction would give it back.
Complementary suppression (withholding other cells until no sum does) is a search over all
those overlapping sums, easy to get wrong; so, more simply, a table with a small count anywhere
has every count rounded to the nearest multiple of `least` and the small ones withheld, and
subtraction gives a range at least `least` wide, not a count. It narrows, it does not abolish,
what sums can tell: at the edge of a range, a withheld count may still be pinned by its
neighbours' — the price of totals that still read as numbers. A table with no small count is
exact; zero is always shown, as it points at nobody. `least` 0 or 1: nothing is withheld.

Which counts make one table, and where a table holds a sum of others', is the caller's to say.
A caller whose tables are asked for by any place and period rounds every one, small count or
not (reporting's `withheld`): one exact table less another would give back what neither shows.
A table shown coarsened says so with `"below": least` and `"rounded_to": least` (`marks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def is_small(n: int | None, least: int) -> bool:
    """Whether `n` is a count that could point at someone: from 1 to `least` - 1."""
    return n is not None and 0 < n < least


def has_small(counts: Iterable[int | None], least: int) -> bool:
    """Whether any of `counts` is small (never, when `least` is 0 or 1)."""
    return any(is_small(n, least) for n in counts)


def shown(n: int, least: int) -> int | None:
    """`n` as a coarsened table shows it: withheld (None) when small, else rounded to the
    nearest multiple of `least` (a half up); 0 stays 0."""
    if least <= 1:
        return n
    return None if is_small(n, least) else (2 * n + least) // (2 * least) * least


def marks(least: int) -> dict[str, Any]:
    """What a coarsened table says of itself: counts below `least` withheld, the others
    rounded to a multiple of it."""
    return {"below": least, "rounded_to": least}

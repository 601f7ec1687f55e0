"""Service hours as people type them: by the quarter hour (一刻钟), as the pages ask for them.

A wrong one is refused with an error of type `hours_quarter`, which the pages word in Chinese
(static/common/forms.js `WORDS`). Only commands are checked: hours recorded before the rule,
and those computed from a check-in and a check-out, keep theirs."""

from __future__ import annotations

from pydantic_core import PydanticCustomError


def by_the_quarter(hours: float) -> float:
    """`hours` if a multiple of 0.25: 0.1 hours is nobody's reckoning, and would become a
    verified hour of that."""
    if not (hours * 4).is_integer():
        raise PydanticCustomError(
            "hours_quarter",
            "hours are counted by the quarter hour: a multiple of 0.25 (0.25, 0.5, 1.5)",
        )
    return hours

"""Refusals for want of money: the 409 names the amount left, in fen, for a page to say."""

from __future__ import annotations

from wushe_events.errors import RuleBroken


def short_of(rule: str, message: str, **amounts_fen: int) -> RuleBroken:
    """`amounts_fen`: the answer's details, such as `left_fen`, integer fen as every amount of
    the API."""
    return RuleBroken(rule, message, amounts_fen)

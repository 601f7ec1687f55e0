"""Donation receipt numbers (捐赠票据号) as people mean them: one paper receipt, however its
number is typed — in either case, with spaces around it, or full-width from a Chinese input
method (`ＳＪ－２０２６－００１` is SJ-2026-001)."""

from __future__ import annotations

import unicodedata


def as_written(typed: str) -> str:
    """The number as the paper receipt writes it, in the case it was typed: full-width
    letters, digits and hyphen as their half-width forms (NFKC), spaces around it dropped."""
    return unicodedata.normalize("NFKC", typed).strip()


def receipt_key(number: str) -> str:
    """What two numbers of the same receipt share: `sj-2026-001` and `SJ-2026-001` are one."""
    return as_written(number).casefold()

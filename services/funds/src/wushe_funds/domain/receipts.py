"""Donation receipt numbers (捐赠票据号) as people mean them: one paper receipt, however its
number is typed — in either case, with spaces around it, full-width from a Chinese input
method (`ＳＪ－２０２６－００１` is SJ-2026-001), or with another dash for its hyphen
(`SJ—2026一001` is SJ-2026-001)."""

from __future__ import annotations

import re
import unicodedata

# What a receipt number's hyphen becomes when typed with a Chinese (or Japanese) input method,
# or pasted from a word processor: the dashes a keyboard's `-` key gives in Chinese mode
# (－, —, and Shift+- gives 破折号 ——, two em dashes), the hyphens and dashes of typography
# (‐ ‑ ‒ – ― ⸺ ⸻ ﹘ ﹣ −), the box-drawing line (─) an input method's symbol table offers, and
# the characters that look like one where a number is read off paper: 一 (yi, "one", which a
# pinyin input method gives for `yi`) and ー (the katakana long-vowel mark). A receipt number
# holds only letters, digits and hyphens, so none of these can mean anything else in it;
# wavy dashes (〜 〰), which write a range, are not among them. A run of them (——) is one
# hyphen, as the key typed once; the ASCII `-` is left as typed.
DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2e3a\u2e3b\ufe58\ufe63\uff0d\u4e00\u30fc"
)
_DASH_RUN = re.compile(f"[{DASHES}]+")


def as_written(typed: str) -> str:
    """The number as the paper receipt writes it, in the case it was typed: full-width
    letters, digits and hyphen as their half-width forms (NFKC), any other dash as `-`,
    spaces around it dropped."""
    return _DASH_RUN.sub("-", unicodedata.normalize("NFKC", typed)).strip()


def receipt_key(number: str) -> str:
    """What two numbers of the same receipt share: `sj-2026-001` and `SJ—2026—001` are one."""
    return as_written(number).casefold()

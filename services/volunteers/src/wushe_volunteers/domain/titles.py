"""Public titles (an activity's goes on the bus and on the public board): the runs of Han
characters in one that could be a person's name, to look up in the blind index of names."""

from __future__ import annotations

import re
import unicodedata

# Duplicated from wushe_needs.domain.wish (`plain`, `possible_names`), which checks wish titles
# the same way: services import no other service, and no shared home for it exists yet. Keep
# the two alike; moving both into wushe_service would end the copy.

NAMES_A_VOLUNTEER = (
    "the title is shown publicly: it must not name a volunteer of the office; "
    "say what the activity is, not who serves in it"
)

# Chinese names are a surname and a given name of two to four Han characters in all (欧阳明月):
# every run of that many in a title is looked up among the office's volunteers' names.
NAME_LENGTHS = range(2, 5)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def plain(text: str) -> str:
    """`text` as it reads: compatibility forms folded (full-width to half-width), and spaces,
    punctuation, symbols and invisible characters left out — 李　明, 李·明 and 李 明 read 李明."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "ZPSC")


def possible_names(title: str) -> set[str]:
    """Every run of two to four Han characters in `title` as it reads (李 明·华 reads 李明华)."""
    found: set[str] = set()
    for run in _HAN.findall(plain(title)):
        for size in NAME_LENGTHS:
            found.update(run[start : start + size] for start in range(len(run) - size + 1))
    return found

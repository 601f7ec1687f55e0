"""Public titles (a wish's, an activity's: they go on the bus and on public boards): the runs
of Han characters in one that could be a person's name, to look up in a blind index of names."""

from __future__ import annotations

import re
import unicodedata

# Chinese names are a surname and a given name of two to four Han characters in all (欧阳明月):
# every run of that many in a title is looked up among the office's names.
NAME_LENGTHS = range(2, 5)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def plain(text: str) -> str:
    """`text` as it reads: compatibility forms folded (full-width to half-width), and spaces,
    punctuation, symbols and invisible characters left out — 陈　奶奶, 陈·奶奶 and 陈 奶 奶 all
    read 陈奶奶."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "ZPSC")


def possible_names(title: str) -> set[str]:
    """Every run of two to four Han characters in `title` as it reads (陈 建·国 reads 陈建国)."""
    found: set[str] = set()
    for run in _HAN.findall(plain(title)):
        for size in NAME_LENGTHS:
            found.update(run[start : start + size] for start in range(len(run) - size + 1))
    return found

"""CSV for Excel, which is what a community's accountant opens it with."""

from typing import Any

# A cell starting with one of these is a formula to Excel (CSV injection): `=HYPERLINK(…)` in a
# project title would run on the reader's machine. A leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A value as it may go into a CSV cell: text that Excel would run is quoted as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value

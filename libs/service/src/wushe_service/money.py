"""Money as people read it: fen (分, the integer the services keep) written as yuan (元), in
the funds ledger, the wish board and the Chinese exports alike.

Exact decimal strings, never floats: 1250 fen is "12.50", whatever the amount.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from wushe_events.catalogue.base import Fen, PositiveFen


def yuan(fen: int | Decimal) -> str:
    """`fen` as yuan with two decimals: 1250 -> "12.50", 5 -> "0.05", -5 -> "-0.05" (a sum
    PostgreSQL answers as numeric, a whole Decimal, too)."""
    fen = int(fen)
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def yuan_grouped(fen: int | Decimal) -> str:
    """As `yuan`, with thousands separated for a printed page: 123456789 -> "1,234,567.89"."""
    fen = int(fen)
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def _whole(value: object) -> object:
    # Left to pydantic's lax integers, `"100.00"` and `100.0` would be 100 fen and `true` 1: yuan
    # most likely meant, a hundredfold short, on a public hash-chained ledger or wish board. A
    # string of digits (`"10000"`) stays taken, as it always was.
    if isinstance(value, bool | float) or (
        isinstance(value, str) and not re.fullmatch(r"\s*[0-9]+\s*", value)
    ):
        raise PydanticCustomError(
            "fen_not_whole", "must be a whole number of fen (分), an integer: 100 yuan is 10000"
        )
    return value


# Money as a request sends it: an integer of fen, never a decimal or a boolean. (The events'
# own `Fen` stays as the catalogue has it: what is stored is read as it was written.)
WholeFen = Annotated[Fen, BeforeValidator(_whole)]
PositiveWholeFen = Annotated[PositiveFen, BeforeValidator(_whole)]

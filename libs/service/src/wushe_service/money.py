"""Money as people read it: fen (分, the integer the services keep) written as yuan (元), in
the funds ledger, the wish board and the Chinese exports alike.

Exact decimal strings, never floats: 1250 fen is "12.50", whatever the amount.
"""

from __future__ import annotations

from decimal import Decimal


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

"""Money as people read it: fen (分, the integer the service keeps) written as yuan (元).

Exact decimal strings, never floats: 1250 fen is "12.50", whatever the amount.
"""

from __future__ import annotations


def yuan(fen: int) -> str:
    """`fen` as yuan with two decimals: 1250 -> "12.50", 5 -> "0.05", -5 -> "-0.05"."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def yuan_grouped(fen: int) -> str:
    """As `yuan`, with thousands separated for a printed page: 123456789 -> "1,234,567.89"."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"

"""Reads of the funds service, one module per topic: the public ledger and its verification,
the funds and rounds lists, applications, disclosures.

Each takes one connection: an endpoint never holds two pooled connections at once.
"""

from wushe_funds.queries import (
    applications,
    disclosures,
    funds,
    history,
    ledger,
    ledger_entry,
    rounds,
    verification,
)

__all__ = [
    "applications",
    "disclosures",
    "funds",
    "history",
    "ledger",
    "ledger_entry",
    "rounds",
    "verification",
]

"""The funds service's own tables, one module per table or two: the public ledger, written in
the transaction of the fund's money events (an `EventStore` hook), the applications by round
and team and the granted projects of the public list (the same hook), its replica of the
volunteers' teams, and the free text of the grant process (reviewers' comments, rejection
notes) that stays off the bus."""

from wushe_funds.store import (
    applications,
    hook,
    ledger,
    locks,
    need_categories,
    notes,
    projects,
    receipts,
    teams,
)

__all__ = [
    "applications",
    "hook",
    "ledger",
    "locks",
    "need_categories",
    "notes",
    "projects",
    "receipts",
    "teams",
]

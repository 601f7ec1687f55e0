"""Read models of every event of every office: fact tables, written idempotently.

One function per event type (in `needs.py`, `volunteers.py`, `funds.py`), each running in the
consumer's transaction next to the tracking row of its event. Attributes fill a row once;
state columns follow the event with the highest streamversion; so duplicates, and events of
different streams arriving in any order, leave the same rows. Figures are counted from the
facts when asked (`queries/`). No personal data is projected: the events carry none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from wushe_events.catalogue import UnknownEventType
from wushe_events.envelope import Envelope
from wushe_events.store import Transaction
from wushe_reporting.projections import funds, needs, volunteers

# Bump when the tables or what is projected into them change: the service then rebuilds
# the read models by replay when it starts.
# 2: refunds and eligibility of grant applications; 3: every event type of the catalogue;
# 4: an erasure clears the resident's groups and age band; 5: whose survey each one was;
# 6: a need counts from its survey's date, as the survey does; 7: residents' corrections and
# moves, with their needs and wishes; 8: a grant round's name; 9: a need's urgency raised;
# 10: why a consent was withdrawn; 11: duplicate records merged, their needs and wishes
# handed to the record kept (whose each need and wish is); 12: grant rounds' community
# envelopes; 13: when each tranche last changed (an approval that waits for a second one, a
# cancellation).
VERSION = 13
NAME = "reporting"
MIGRATIONS = "wushe_reporting:migrations/versions"  # the tables' migrations

TABLES = (
    "communities",
    "residents",
    "surveys",
    "needs",
    "wishes",
    "volunteers",
    "teams",
    "pairings",
    "sites",
    "activities",
    "signups",
    "hours",
    "funds",
    "fund_flows",
    "rounds",
    "grants",
    "reviews",
    "disbursements",
    "expenses",
    "evaluations",
    "allocations",
    "round_envelopes",
    "consents",
    "attendance",
    "certificates",
    "memberships",
    "offices",
)
# Tables with a row per resident or volunteer (or one that names them, as a survey names its
# resident). Pseudonymous, yet a row's community, groups and age band can point at one
# household, and a resident's surveys follow them over time: they export only to office staff
# with a token.
PER_PERSON = frozenset(
    {
        "residents",
        "surveys",
        "consents",
        "volunteers",
        "signups",
        "hours",
        "attendance",
        "certificates",
        "memberships",
    }
)

# Tables with a row per need of a resident: each row is a count of one, which the figures anyone
# reads withhold (WUSHE_PUBLIC_MIN_COUNT); they export to anyone only when every count is shown.
# A wish is on the public wish board, its row no more than the board shows.
ROW_PER_NEED = frozenset({"needs"})

APPLY = {**needs.APPLY, **volunteers.APPLY, **funds.APPLY}


async def seen(tx: Transaction, office: str, moment: datetime) -> None:
    """The office's freshness: the time of the latest event of it applied."""
    await tx.raw.execute(
        """INSERT INTO offices (office, last_event_at) VALUES ($1, $2)
           ON CONFLICT (office) DO UPDATE
           SET last_event_at = greatest(offices.last_event_at, excluded.last_event_at)""",
        office,
        moment,
    )


async def project(tx: Transaction, envelope: Envelope) -> None:
    """The consumer's handler: apply one event of any office to the read models."""
    await seen(tx, envelope.office, envelope.time)
    await apply(tx, envelope)


async def apply(tx: Transaction, envelope: Envelope) -> None:
    """Apply one event to the fact tables (not to the offices' freshness)."""
    await apply_to(tx.raw, envelope)


async def apply_to(db: asyncpg.Connection | Deferred, envelope: Envelope) -> None:
    try:
        event = envelope.event()
    except UnknownEventType:
        return  # a newer producer's type: nothing of ours to count yet
    applier = APPLY.get(type(event))
    if applier is not None:
        await applier(db, event, envelope)  # type: ignore[arg-type]  # Deferred: execute only


class Deferred:
    """Stands in for the connection while a batch of events is applied, and then sends their
    statements grouped by text with `executemany` (pipelined: one round trip per group, not
    one per statement). Regrouping changes the order of statements of different texts; the
    facts do not depend on it (see the module's docstring), which the order test checks."""

    def __init__(self) -> None:
        self.statements: dict[str, list[tuple[Any, ...]]] = {}

    async def execute(self, sql: str, *args: Any) -> None:
        self.statements.setdefault(sql, []).append(args)

    async def flush(self, db: asyncpg.Connection) -> None:
        for sql, rows in self.statements.items():
            await db.executemany(sql, rows)
        self.statements.clear()

"""The public ledger: a fund's entries, one written per money event of the fund (in
its transaction, by the hook), read back as entries, and the fingerprints of the ledgers."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import DonationReceived, DonationRefunded, GrantDisbursed
from wushe_events.store import RecordedEvent
from wushe_funds.domain import ledger

_COLUMNS = """fund_id, sequence, event_id, occurred_at, kind, reference, amount_fen, balance_fen,
    purpose, counterpart, prev_hash, hash"""


def entry_of(row: asyncpg.Record) -> ledger.Entry:
    """The entry a ledger row holds; ValueError if it holds none."""
    content = ledger.Content(
        row["fund_id"],
        row["sequence"],
        row["event_id"],
        row["occurred_at"],
        ledger.Kind(row["kind"]),
        row["reference"],
        row["amount_fen"],
        row["balance_fen"],
        row["purpose"],
        row["counterpart"],
    )
    return ledger.Entry(content, row["prev_hash"], row["hash"])


def entry_or_unreadable(row: asyncpg.Record) -> ledger.Entry | ledger.Unreadable:
    """The entry a row holds, or what makes it none: a tampered row is reported, not a crash."""
    try:
        return entry_of(row)
    except ValueError:
        return ledger.Unreadable(row["sequence"], f"kind {row['kind']!r}")


async def ledger_rows(db: asyncpg.Connection, fund_id: UUID) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {_COLUMNS} FROM ledger WHERE fund_id = $1 ORDER BY sequence", fund_id
    )


async def ledger_row(db: asyncpg.Connection, fund_id: UUID, sequence: int) -> asyncpg.Record | None:
    return await db.fetchrow(
        f"SELECT {_COLUMNS} FROM ledger WHERE fund_id = $1 AND sequence = $2", fund_id, sequence
    )


async def donation_entry(
    db: asyncpg.Connection, fund_id: UUID, donation_id: UUID
) -> asyncpg.Record | None:
    """The entry that records a donation (its reference) in the fund's ledger."""
    return await db.fetchrow(
        f"""SELECT {_COLUMNS} FROM ledger
            WHERE fund_id = $1 AND reference = $2 AND kind = 'donation'""",
        fund_id,
        donation_id,
    )


async def _write_entry(db: asyncpg.Connection, recorded: RecordedEvent) -> None:
    event = recorded.event()
    if not isinstance(event, DonationReceived | DonationRefunded | GrantDisbursed):
        return
    # The fund's stream has one next version, so one writer at a time reaches this point.
    last = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM ledger WHERE fund_id = $1 ORDER BY sequence DESC LIMIT 1",
        event.fund_id,
    )
    donors = {}
    if isinstance(event, DonationRefunded):
        donor = await db.fetchval(
            "SELECT counterpart FROM ledger WHERE fund_id = $1 AND reference = $2",
            event.fund_id,
            event.donation_id,
        )
        donors[event.donation_id] = donor or ledger.ANONYMOUS
    entry = ledger.next_entry(
        entry_of(last) if last else None,
        event.fund_id,
        event,
        recorded.event_id,
        recorded.occurred_at,
        donors,
    )
    assert entry is not None
    c = entry.content
    await db.execute(
        f"""INSERT INTO ledger ({_COLUMNS})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
        c.fund_id,
        c.sequence,
        c.event_id,
        c.occurred_at,
        c.kind.value,
        c.reference,
        c.amount_fen,
        c.balance_fen,
        c.purpose,
        c.counterpart,
        entry.prev_hash,
        entry.hash,
    )


# What a ledger's verification depends on, of one fund or of all: its stream version (its
# events are append-only) and a digest of every stored row, so that a row tampered with
# anywhere, not only at the head, changes it. Hashed where the rows are: nothing is sent.
LEDGER_DIGEST = """encode(sha256(convert_to(
    coalesce(string_agg(l::text, E'\\n' ORDER BY l.sequence), ''), 'UTF8')), 'hex')"""

Fingerprint = tuple[int, str]


async def ledger_fingerprints(db: asyncpg.Connection) -> dict[UUID, Fingerprint]:
    """Every fund's (stream version, ledger digest), in one statement and one snapshot, in
    the order the funds were opened."""
    rows = await db.fetch(
        f"""SELECT v.fund_id, v.version,
                   coalesce(d.digest, encode(sha256(''::bytea), 'hex')) AS digest
            FROM (SELECT aggregate_id::uuid AS fund_id, max(version) AS version,
                         min(global_position) AS opened
                  FROM events WHERE aggregate = 'fund' GROUP BY aggregate_id) v
            LEFT JOIN (SELECT l.fund_id, {LEDGER_DIGEST} AS digest FROM ledger l
                       GROUP BY l.fund_id) d USING (fund_id)
            ORDER BY v.opened"""
    )
    return {r["fund_id"]: (r["version"], r["digest"]) for r in rows}

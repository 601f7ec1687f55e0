"""Receipts claimed once: a donation's receipt number, an expense's receipt (by its
SHA-256), each kept by the hook, the key deciding between racing ones."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import DonationReceived, ExpenseReported
from wushe_events.errors import RuleBroken

# The `receipt_key` column's own expression (funds_0016), of a number as typed.
RECEIPT_KEY = "lower(btrim(normalize($1::text, NFKC)))"


async def _claim_receipt(db: asyncpg.Connection, event: ExpenseReported) -> None:
    # The commands check first (`receipt_claimed_by`); the key decides between racing ones.
    claimed = await db.fetchval(
        """INSERT INTO expense_receipts VALUES ($1, $2, $3)
           ON CONFLICT (receipt_sha256) DO NOTHING RETURNING 1""",
        event.receipt_sha256,
        event.expense_id,
        event.application_id,
    )
    if claimed is None:
        raise RuleBroken("receipt_already_claimed", "another expense claimed this receipt")


async def _record_receipt(db: asyncpg.Connection, event: DonationReceived) -> None:
    # The commands check first (`receipt_fund`); the key decides between funds racing, one
    # claim for a receipt however its number was typed (funds_0016).
    if event.receipt_number is None:
        return
    recorded = await db.fetchval(
        """INSERT INTO donation_receipts (receipt_number, fund_id, donation_id)
           VALUES ($1, $2, $3) ON CONFLICT (receipt_key) DO NOTHING RETURNING 1""",
        event.receipt_number,
        event.fund_id,
        event.donation_id,
    )
    if recorded is None:
        raise RuleBroken(
            "receipt_number_used", f"receipt {event.receipt_number} records another donation"
        )


async def receipt_fund(db: asyncpg.Connection, receipt_number: str | None) -> UUID | None:
    """The fund whose donation a receipt number records, however either was typed, if any
    (numbers are the office's)."""
    if receipt_number is None:
        return None
    fund_id: UUID | None = await db.fetchval(
        f"SELECT fund_id FROM donation_receipts WHERE receipt_key = {RECEIPT_KEY}",
        receipt_number,
    )
    return fund_id


async def receipt_claimed_by(db: asyncpg.Connection, receipt_sha256: str) -> UUID | None:
    """The application whose expense claimed a receipt, if any."""
    application_id: UUID | None = await db.fetchval(
        "SELECT application_id FROM expense_receipts WHERE receipt_sha256 = $1", receipt_sha256
    )
    return application_id

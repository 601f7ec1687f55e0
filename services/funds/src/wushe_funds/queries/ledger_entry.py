"""One entry of a fund's public ledger, as the ledger publishes it, and whether the chain
holds up to it: where a donation's acknowledgement (捐赠确认书) sends its donor to check it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import DonationRefunded
from wushe_events.errors import NotFound
from wushe_funds import store
from wushe_funds.queries.history import community_of, fund_opened
from wushe_funds.queries.ledger import entry_view
from wushe_funds.queries.verification import _verify
from wushe_service.sql import snapshot


async def ledger_entry(db: asyncpg.Connection, fund_id: UUID, sequence: int) -> dict[str, Any]:
    """The entry `sequence` of the fund's ledger, as stored (a tampered one too), and the
    ledger's verification: the entry holds when no entry up to it breaks the chain or differs
    from the fund's events. Nothing the ledger does not publish."""
    async with snapshot(db):
        opened = await fund_opened(db, fund_id)
        row = await store.ledger.ledger_row(db, fund_id, sequence)
        if row is None:
            raise NotFound("ledger entry", sequence)
        community = await community_of(db, opened.community_id)
        check = await _verify(db, fund_id)
        related = await _related(db, fund_id, row["reference"])
    broken = check["first_broken"]
    return {
        "fund_id": fund_id,
        "name": opened.name,
        "community_id": opened.community_id,
        **community,
        "entry": entry_view(row),
        # The ledger page's links between a refund and its donation, for this entry: the
        # refund entries of a donation, the donation entry of a refund.
        "refunded_in": [r["sequence"] for r in related if r["kind"] == "refund"],
        "refund_of": next((r["sequence"] for r in related if r["kind"] == "donation"), None),
        # Verified from the first entry through this one: a break after it leaves it standing.
        "verified": broken is None or broken["sequence"] > sequence,
        "ledger_valid": check["valid"],
        "first_broken": broken,
        "entries": check["entries"],
    }


# Entries linked to an entry by a refund event (from the fund's events, as the ledger page's
# links are): the refunds of a donation (the entry is the donation), or the donation of a refund.
_RELATED = """SELECT l.sequence, l.kind FROM events e JOIN ledger l ON l.fund_id = $1
      AND l.reference IN ((e.data->>'refund_id')::uuid, (e.data->>'donation_id')::uuid)
    WHERE e.aggregate = 'fund' AND e.aggregate_id = $2 AND e.event_type = $4
      AND $3::uuid IN ((e.data->>'refund_id')::uuid, (e.data->>'donation_id')::uuid)
      AND l.reference <> $3
    ORDER BY l.sequence"""


async def _related(db: asyncpg.Connection, fund_id: UUID, reference: UUID) -> list[asyncpg.Record]:
    return await db.fetch(_RELATED, fund_id, str(fund_id), reference, DonationRefunded.type)

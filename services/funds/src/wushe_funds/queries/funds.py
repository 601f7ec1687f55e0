"""The office's funds: their figures from their events, and the list of them with whether
their ledgers verify."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import (
    DonationReceived,
    DonationRefunded,
    FundOpened,
    GrantDisbursed,
    RoundOpened,
)
from wushe_events.errors import NotFound
from wushe_funds.queries.verification import _verify
from wushe_service import communities, paging
from wushe_service.money import yuan
from wushe_service.sql import one, snapshot


async def fund_figures(db: asyncpg.Connection, fund_id: UUID) -> dict[str, int]:
    """Raised, refunded, disbursed and the balance, from the fund's events."""
    row = await db.fetchrow(
        f"{_FUNDS} WHERE event_type = $1 AND aggregate_id = $2", FundOpened.type, str(fund_id)
    )
    if row is None:
        raise NotFound("fund", fund_id)
    item = _fund_item(dict(row), {"valid": None, "first_broken": None})
    return {k: item[k] for k in ("balance_fen", "raised_fen", "refunded_fen", "disbursed_fen")}


# The office's lists read from its own event log: in the order things were opened.
_BY_OCCURRENCE = {"occurred_at": datetime, "aggregate_id": str}


def _fund_total(event_type: str) -> str:
    return f"""coalesce((SELECT sum((m.data->>'amount_fen')::bigint)::bigint FROM events m
        WHERE m.aggregate = 'fund' AND m.aggregate_id = events.aggregate_id
          AND m.event_type = '{event_type}'), 0)"""


# A fund's figures from its (append-only) events, not from its ledger rows: a forged ledger
# must not lend the list its figures.
_FUNDS = f"""SELECT aggregate_id, data->>'name' AS name, data->>'community_id' AS community_id,
        occurred_at, {_fund_total(DonationReceived.type)} AS raised_fen,
        {_fund_total(DonationRefunded.type)} AS refunded_fen,
        {_fund_total(GrantDisbursed.type)} AS disbursed_fen
    FROM events"""


async def funds_list(
    db: asyncpg.Connection, *, community_id: str | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The office's funds, oldest first, with their figures and whether their ledgers verify
    (each ledger state is verified once: `_verify` keeps its report)."""
    async with snapshot(db):
        page = await paging.fetch_page(
            db,
            _FUNDS,
            [
                ("event_type = ?", (FundOpened.type,)),
                ("data->>'community_id' = ?", one(community_id)),
            ],
            _BY_OCCURRENCE,
            limit,
            cursor,
        )
        checks = [await _verify(db, UUID(r["aggregate_id"])) for r in page.items]
        names = await communities.names(
            db, {r["community_id"] for r in page.items if r["community_id"]}
        )
        rounds = await _rounds_of(db, [r["aggregate_id"] for r in page.items])
    items = [
        _fund_item(r, check, names.get(r["community_id"]))
        | {"rounds": rounds.get(r["aggregate_id"], [])}
        for r, check in zip(page.items, checks, strict=True)
    ]
    return paging.Page(items=items, next_cursor=page.next_cursor)


async def _rounds_of(db: asyncpg.Connection, fund_ids: list[str]) -> dict[str, list[dict]]:
    """Each fund's grant rounds, oldest first: their names and disclosures."""
    rows = await db.fetch(
        """SELECT aggregate_id, data->>'fund_id' AS fund_id, data->>'name' AS name FROM events
           WHERE event_type = $1 AND data->>'fund_id' = ANY($2::text[])
           ORDER BY global_position""",
        RoundOpened.type,
        fund_ids,
    )
    rounds: dict[str, list[dict]] = {}
    for r in rows:
        rounds.setdefault(r["fund_id"], []).append(
            {
                "round_id": UUID(r["aggregate_id"]),
                "name": r["name"],
                "disclosure_url": f"/public/rounds/{r['aggregate_id']}/disclosure",
            }
        )
    return rounds


def _fund_item(
    row: dict[str, Any], check: dict[str, Any], community: dict[str, str] | None = None
) -> dict[str, Any]:
    raised, refunded, disbursed = row["raised_fen"], row["refunded_fen"], row["disbursed_fen"]
    return {
        "fund_id": UUID(row["aggregate_id"]),
        "name": row["name"],
        "community_id": row["community_id"],
        "community_name": community and community["name"],
        "community_street": community and community["street"],
        "opened_at": row["occurred_at"],
        "balance_fen": raised - refunded - disbursed,
        "raised_fen": raised,
        "refunded_fen": refunded,
        "disbursed_fen": disbursed,
        "balance_yuan": yuan(raised - refunded - disbursed),
        "raised_yuan": yuan(raised),
        "refunded_yuan": yuan(refunded),
        "disbursed_yuan": yuan(disbursed),
        "ledger": f"/public/funds/{row['aggregate_id']}/ledger",
        "ledger_valid": check["valid"],
        "ledger_first_broken": check["first_broken"],
    }

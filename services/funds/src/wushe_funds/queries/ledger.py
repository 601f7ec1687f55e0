"""A fund's public ledger as published: its entries, its CSV, and the ledger page's view of
it beside its verification."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, tzinfo
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import DonationRefunded, FundOpened, GrantDisbursed
from wushe_funds import purposes, store
from wushe_funds.domain import ledger
from wushe_funds.queries.funds import fund_figures
from wushe_funds.queries.history import community_of, fund_opened
from wushe_funds.queries.verification import _verify
from wushe_service import spreadsheet
from wushe_service.money import yuan
from wushe_service.sql import snapshot


def entry_view(row: asyncpg.Record) -> dict[str, Any]:
    """A ledger row as published: as stored, even when tampered with (verify says so)."""
    return {
        "sequence": row["sequence"],
        "occurred_at": row["occurred_at"],
        "kind": row["kind"],
        "direction": "in" if row["kind"] in ledger.INFLOWS else "out",
        "amount_fen": row["amount_fen"],
        "amount_yuan": yuan(row["amount_fen"]),
        "balance_fen": row["balance_fen"],
        "balance_yuan": yuan(row["balance_fen"]),
        "purpose": row["purpose"],
        "counterpart": row["counterpart"],
        "reference": row["reference"],
        "event_id": row["event_id"],
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


async def public_ledger(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    opened = await fund_opened(db, fund_id)
    rows = await store.ledger.ledger_rows(db, fund_id)
    community = await community_of(db, opened.community_id)
    # A fund's whole history is public and unauthenticated: build it off the event loop.
    return await asyncio.to_thread(_ledger_view, opened, community, rows)


def _ledger_view(
    opened: FundOpened, community: dict[str, Any], rows: list[asyncpg.Record]
) -> dict[str, Any]:
    return {
        "fund_id": opened.fund_id,
        "name": opened.name,
        "community_id": opened.community_id,
        **community,
        "balance_fen": rows[-1]["balance_fen"] if rows else 0,
        "balance_yuan": yuan(rows[-1]["balance_fen"] if rows else 0),
        "head_hash": rows[-1]["hash"] if rows else ledger.GENESIS,
        "entries": [entry_view(row) for row in rows],
    }


# The CSV's columns and, for the people who open it (a community's accountant, in Excel),
# their headings; `?header=keys` gives the column names instead, for scripts.
CSV_HEADINGS = {
    "sequence": "序号",
    "occurred_at": "时间",  # and the office's time zone (`ledger_csv`)
    "kind": "类别",
    "direction": "收支",
    "amount_fen": "金额（分）",
    "amount_yuan": "金额（元）",
    "balance_fen": "余额（分）",
    "balance_yuan": "余额（元）",
    "purpose": "用途",
    "counterpart": "对方",
    "reference": "关联编号",
    "event_id": "事件编号",
    "prev_hash": "前一条哈希",
    "hash": "哈希",
}
CSV_COLUMNS = list(CSV_HEADINGS)


DIRECTIONS = {"in": "收入", "out": "支出"}


def ledger_csv(view: dict[str, Any], zone: tzinfo | None = None) -> str:
    """With the office's `zone`, for people: headed in Chinese, each entry worded as the ledger
    page words it, at the office's time. Without, for scripts: the column names and each
    entry's stored values, times in UTC: what its hash covers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    if zone is None:
        writer.writerow({c: c for c in CSV_COLUMNS})
    else:
        writer.writerow({**CSV_HEADINGS, "occurred_at": f"时间（{purposes.zone(zone)}）"})
    for entry in view["entries"]:
        if zone is None:
            shown = {**entry, "occurred_at": entry["occurred_at"].isoformat()}
        else:
            shown = _worded(entry, zone)
        writer.writerow({k: spreadsheet.cell(v) for k, v in shown.items()})
    # A BOM, so that Excel (what a community's accountant opens it with) reads UTF-8.
    return "\ufeff" + out.getvalue()


def _worded(entry: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    return {
        **entry,
        "occurred_at": f"{entry['occurred_at'].astimezone(zone):%Y-%m-%d %H:%M:%S}",
        "kind": purposes.kind(entry["kind"]),
        "direction": DIRECTIONS[entry["direction"]],
        "purpose": purposes.purpose(entry["purpose"]),
        "counterpart": purposes.counterpart(entry["counterpart"]),
    }


async def ledger_and_check(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The public ledger and its verification, as they stood at one moment (the page)."""
    async with snapshot(db):
        view, check = await public_ledger(db, fund_id), await _verify(db, fund_id)
        figures = await fund_figures(db, fund_id)
        links = await _references(db, fund_id)
    # The figures from the fund's events: a forged ledger's running balance is not shown as
    # the fund's balance.
    return {
        **view,
        **figures,
        "balance_yuan": yuan(figures["balance_fen"]),
        "references": links,
    }, check


async def _references(db: asyncpg.Connection, fund_id: UUID) -> dict[str, dict[str, str]]:
    """What a refund or disbursement entry refers to, by the entry's reference: the donation
    refunded, the grant paid (its disclosure). From the fund's events."""
    rows = await db.fetch(
        """SELECT coalesce(data->>'refund_id', data->>'disbursement_id') AS reference,
                  data->>'donation_id' AS donation_id, data->>'application_id' AS application_id
           FROM events WHERE aggregate = 'fund' AND aggregate_id = $1
             AND event_type = ANY($2::text[])""",
        str(fund_id),
        [DonationRefunded.type, GrantDisbursed.type],
    )
    return {r["reference"]: {k: v for k, v in r.items() if v and k != "reference"} for r in rows}


def in_period(
    view: dict[str, Any], since: datetime | None, before: datetime | None
) -> dict[str, Any]:
    """The ledger of a period — its entries from `since`, before `before` — with the balance it
    opened and closed with and what came in and went out in it: a month's, to reconcile with
    the bank's statement. The period runs from its first entry to its last by sequence, so
    that opening + in − out is closing to the fen, as the running balance has it."""
    entries = view["entries"]
    first = next(
        (i for i, e in enumerate(entries) if since is None or e["occurred_at"] >= since),
        len(entries),
    )
    last = max(
        (i for i, e in enumerate(entries) if before is None or e["occurred_at"] < before),
        default=-1,
    )
    shown = entries[first : last + 1]
    opening = entries[first - 1]["balance_fen"] if first > 0 else 0
    flows = {d: sum(e["amount_fen"] for e in shown if e["direction"] == d) for d in ("in", "out")}
    closing = shown[-1]["balance_fen"] if shown else opening
    return {
        **view,
        "entries": shown,
        "period": {
            "entries": len(shown),
            **_fen_and_yuan("opening_balance", opening),
            **_fen_and_yuan("in", flows["in"]),
            **_fen_and_yuan("out", flows["out"]),
            **_fen_and_yuan("closing_balance", closing),
        },
    }


def _fen_and_yuan(name: str, fen: int) -> dict[str, Any]:
    return {f"{name}_fen": fen, f"{name}_yuan": yuan(fen)}


def months(view: dict[str, Any], zone: tzinfo) -> list[date]:
    """The months the ledger has entries in, at the office's clock, the latest first (the
    first day of each)."""
    days = {e["occurred_at"].astimezone(zone).date().replace(day=1) for e in view["entries"]}
    return sorted(days, reverse=True)

"""A fund's donations of a period by channel (银行转账, 现金, 微信支付…), with what was received,
refunded and stands of each: the month-end reconciliation with the bank statement and the cash
book, as JSON and as a CSV for the accountant.

Read from the service's own event log, by the events' times, as the ledger dates its entries:
a donation counts in the period it was received, a refund in the period it was paid back (the
month the money left, as the bank's statement has it), under its donation's channel. Over a
period the received total is the ledger's donation inflows, and the refunded its refund
outflows, to the fen."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import DonationReceived, DonationRefunded
from wushe_funds import purposes
from wushe_service import spreadsheet
from wushe_service.money import yuan

# `wechat` is WeChat Pay's older second code (`purposes.CHANNEL_WORDS`): one statement, one row.
_CHANNEL = """CASE d.data->>'channel' WHEN 'wechat' THEN 'wechat-pay'
    ELSE d.data->>'channel' END"""
_IN_PERIOD = """($2::timestamptz IS NULL OR {t}.occurred_at >= $2)
      AND ($3::timestamptz IS NULL OR {t}.occurred_at < $3)"""

_BY_CHANNEL = f"""
SELECT channel, sum(donations)::int AS donations, sum(received)::bigint AS received_fen,
       sum(refunds)::int AS refunds, sum(refunded)::bigint AS refunded_fen
FROM (
    SELECT {_CHANNEL} AS channel, 1 AS donations, (d.data->>'amount_fen')::bigint AS received,
           0 AS refunds, 0::bigint AS refunded
    FROM events d
    WHERE d.aggregate = 'fund' AND d.aggregate_id = $1 AND d.event_type = $4
      AND {_IN_PERIOD.format(t="d")}
    UNION ALL
    SELECT {_CHANNEL}, 0, 0, 1, (r.data->>'amount_fen')::bigint
    FROM events r JOIN events d ON d.aggregate = 'fund' AND d.aggregate_id = $1
         AND d.event_type = $4 AND d.data->>'donation_id' = r.data->>'donation_id'
    WHERE r.aggregate = 'fund' AND r.aggregate_id = $1 AND r.event_type = $5
      AND {_IN_PERIOD.format(t="r")}
) flows
GROUP BY channel"""

UNSTATED = "未注明"


async def by_channel(
    db: asyncpg.Connection, fund_id: UUID, since: datetime | None, before: datetime | None
) -> dict[str, Any]:
    """Each channel's donations and refunds from `since`, before `before`, with their total."""
    rows = await db.fetch(
        _BY_CHANNEL,
        str(fund_id),
        since,
        before,
        DonationReceived.type,
        DonationRefunded.type,
    )
    order = list(purposes.CHANNELS)
    rows = sorted(
        rows,
        key=lambda r: (
            r["channel"] is None,
            order.index(r["channel"]) if r["channel"] in order else len(order),
            r["channel"] or "",
        ),
    )
    channels = [
        {
            "channel": r["channel"],
            "channel_label": _label(r["channel"]),
            **_figures(r["donations"], r["received_fen"], r["refunds"], r["refunded_fen"]),
        }
        for r in rows
    ]
    total = _figures(*(sum(c[k] for c in channels) for k in _COUNTED))
    return {"channels": channels, "total": total}


_COUNTED = ("donations", "received_fen", "refunds", "refunded_fen")


def _label(channel: str | None) -> str:
    return UNSTATED if channel is None else purposes.CHANNEL_WORDS.get(channel, channel)


def _figures(donations: int, received: int, refunds: int, refunded: int) -> dict[str, Any]:
    return {
        "donations": donations,
        "received_fen": received,
        "received_yuan": yuan(received),
        "refunds": refunds,
        "refunded_fen": refunded,
        "refunded_yuan": yuan(refunded),
        # What of the period's money stands: received less refunded (as the ledger nets them).
        "standing_fen": received - refunded,
        "standing_yuan": yuan(received - refunded),
    }


CSV_HEADINGS = {
    "channel_label": "渠道",
    "channel": "渠道代码",
    "donations": "捐赠笔数",
    "received_fen": "收到（分）",
    "received_yuan": "收到（元）",
    "refunds": "退还笔数",
    "refunded_fen": "退还（分）",
    "refunded_yuan": "退还（元）",
    "standing_fen": "净额（分）",
    "standing_yuan": "净额（元）",
}


def by_channel_csv(view: dict[str, Any]) -> str:
    """The view as a CSV headed in Chinese, a row per channel and 合计 last; with a BOM, as the
    ledger's, so that Excel (what the accountant opens it with) reads UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, list(CSV_HEADINGS), lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for row in [*view["channels"], {"channel_label": "合计", "channel": "", **view["total"]}]:
        writer.writerow(
            {k: spreadsheet.cell("" if row[k] is None else row[k]) for k in CSV_HEADINGS}
        )
    return "\ufeff" + out.getvalue()

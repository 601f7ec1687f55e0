"""The donations of a fund as its staff look them up: by receipt, date, donor kind, refunds.

Read from the service's own event log (a fund's donations and refunds are its events).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from wushe_events.catalogue.funds import DonationReceived, DonationRefunded
from wushe_events.errors import NotFound
from wushe_funds.domain.receipts import receipt_key
from wushe_service import paging
from wushe_service.sql import Condition, one

_REFUNDED = f"""coalesce((SELECT sum((r.data->>'amount_fen')::bigint)::bigint FROM events r
    WHERE r.aggregate = 'fund' AND r.aggregate_id = events.aggregate_id
      AND r.event_type = '{DonationRefunded.type}'
      AND r.data->>'donation_id' = events.data->>'donation_id'), 0)"""

# Each refund with its note (staff's words, kept in this database only).
_REFUNDS = f"""(SELECT coalesce(json_agg(json_build_object(
        'refund_id', r.data->>'refund_id', 'refunded_at', r.occurred_at,
        'amount_fen', (r.data->>'amount_fen')::bigint, 'reason', r.data->>'reason',
        'note', n.note) ORDER BY r.global_position), '[]')::text
    FROM events r LEFT JOIN refund_notes n ON n.refund_id = (r.data->>'refund_id')::uuid
    WHERE r.aggregate = 'fund' AND r.aggregate_id = events.aggregate_id
      AND r.event_type = '{DonationRefunded.type}'
      AND r.data->>'donation_id' = events.data->>'donation_id')"""

# A donation's number in its fund (its acknowledgement's, 确认书编号): its place among the
# fund's donations in its stream. The stream is appended under the fund's lock at the next
# version, so the numbers run 1, 2, 3… with no gap (a rolled-back donation takes no version)
# and none twice; a refund takes none away; a replay of the log gives the same. The fund's
# condition on `aggregate_id` reaches inside (a partition's column): one fund's rows are read.
_NUMBERED = f"""(SELECT *, row_number() OVER (PARTITION BY aggregate, aggregate_id
        ORDER BY version) AS number
    FROM events WHERE event_type = '{DonationReceived.type}') AS events"""

_DONATIONS = f"""SELECT global_position, occurred_at, number,
        data->>'donation_id' AS donation_id,
        (data->>'amount_fen')::bigint AS amount_fen, data->>'donor_kind' AS donor_kind,
        data->>'donor_display' AS donor_display, data->>'channel' AS channel,
        data->>'receipt_number' AS receipt_number, {_REFUNDED} AS refunded_fen,
        {_REFUNDS} AS refunds
    FROM {_NUMBERED}"""


async def donations(
    db: asyncpg.Connection,
    fund_id: UUID,
    *,
    receipt_number: str | None = None,
    number: int | None = None,
    donor_kind: str | None = None,
    channel: str | None = None,
    received_since: datetime | None = None,
    received_before: datetime | None = None,
    refunded: bool | None = None,
    limit: int,
    cursor: str | None,
) -> paging.Page[dict[str, Any]]:
    """A fund's donations, in the order received, with what has been refunded of each and
    each one's `number` in the fund."""
    refunds: Condition = (
        (f"{_REFUNDED} {'>' if refunded else '='} 0", ()) if refunded is not None else ("", None)
    )
    page = await paging.fetch_page(
        db,
        _DONATIONS,
        [
            ("aggregate = 'fund' AND aggregate_id = ?", (str(fund_id),)),
            ("event_type = ?", (DonationReceived.type,)),
            # The receipt as the 409 knows it (`receipt_key`, as `with_receipt` compares a
            # fund's history): every spelling refused as the same receipt finds it —
            # `sj-2026-001 `, full-width, `SJ—2026一001`. Numbers are recorded `as_written`
            # (letters, digits, `-`), whose key is their `lower`. No index is lost: the
            # filter sits outside the numbering, over the fund's donations only.
            ("lower(data->>'receipt_number') = ?", one(_key(receipt_number))),
            # Outside the numbering: a filter on the number leaves every donation its own.
            ("number = ?", one(number)),
            ("data->>'donor_kind' = ?", one(donor_kind)),
            # WeChat Pay's older code with it (`purposes.CHANNEL_WORDS`): one channel.
            ("data->>'channel' = ANY(?::text[])", one(_channels(channel))),
            ("occurred_at >= ?", one(received_since)),
            ("occurred_at < ?", one(received_before)),
            refunds,
        ],
        {"global_position": int},
        limit,
        cursor,
    )
    return paging.Page(items=[_item(r) for r in page.items], next_cursor=page.next_cursor)


def _channels(channel: str | None) -> list[str] | None:
    if channel is None:
        return None
    return [channel, "wechat"] if channel == "wechat-pay" else [channel]


def _key(receipt_number: str | None) -> str | None:
    return None if receipt_number is None else receipt_key(receipt_number)


async def donation(db: asyncpg.Connection, fund_id: UUID, donation_id: UUID) -> dict[str, Any]:
    """One donation of the fund, as its list gives it; NotFound if the fund has none such."""
    row = await db.fetchrow(
        f"""{_DONATIONS} WHERE aggregate = 'fund' AND aggregate_id = $1 AND event_type = $2
              AND data->>'donation_id' = $3""",
        str(fund_id),
        DonationReceived.type,
        str(donation_id),
    )
    if row is None:
        raise NotFound("donation", donation_id)
    return _item(dict(row))


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "donation_id": UUID(row["donation_id"]),
        "number": row["number"],
        "received_at": row["occurred_at"],
        "amount_fen": row["amount_fen"],
        "refunded_fen": row["refunded_fen"],
        "left_to_refund_fen": row["amount_fen"] - row["refunded_fen"],
        "donor_kind": row["donor_kind"],
        # The public name, given with consent; a name given without it was never kept.
        "donor_display": row["donor_display"],
        "channel": row["channel"],
        "receipt_number": row["receipt_number"],
        "refunds": orjson.loads(row["refunds"]),
    }

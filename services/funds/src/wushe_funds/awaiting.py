"""The tranches awaiting their approvers across the office (待审批拨付): asked for above the
two-approver threshold, neither paid nor withdrawn yet — what a fund manager opens to approve.

Read from the `projects` table (a row per granted application, kept by the `EventStore` hook)
and, for each grant not completed, its own stream through the stream index: a request's cost is
that of the grants under way, never a scan of the office's events. A tranche is paid once its
approvals reach `approvals_required` (`domain.application.Disbursement.paid`); a completed grant
has none waiting (completing one refuses while a tranche waits)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.funds import (
    DisbursementApproved,
    DisbursementCancelled,
    DisbursementRequested,
)
from wushe_funds import queries, store
from wushe_service import paging
from wushe_service.money import yuan
from wushe_service.sql import one

# The request's other events, in its application's stream, by the request's id.
_OF_REQUEST = """FROM events o WHERE o.aggregate = 'application'
    AND o.aggregate_id = r.aggregate_id AND o.event_type = '{type}'
    AND o.data->>'disbursement_id' = r.data->>'disbursement_id'"""

_AWAITING = f"""SELECT * FROM (
    SELECT r.global_position AS position, (r.data->>'disbursement_id')::uuid AS disbursement_id,
        p.application_id, p.round_id, p.fund_id, p.team_id, p.community_id, p.title,
        p.state = 'suspended' AS suspended, p.approved_fen, p.disbursed_fen,
        (r.data->>'tranche')::int AS tranche, (r.data->>'amount_fen')::bigint AS amount_fen,
        (r.data->>'requested_by')::uuid AS requested_by, r.occurred_at AS requested_at,
        (r.data->>'approvals_required')::int AS approvals_required,
        (SELECT count(*) {_OF_REQUEST.format(type=DisbursementApproved.type)})::int AS approvals,
        -- Who approved it already (as `requested_by`, a person or a token): not again.
        (SELECT coalesce(array_agg((o.data->>'approved_by')::uuid ORDER BY o.global_position),
            '{{}}') {_OF_REQUEST.format(type=DisbursementApproved.type)}) AS approved_by
    FROM projects p JOIN events r ON r.aggregate = 'application'
        AND r.aggregate_id = p.application_id::text
        AND r.event_type = '{DisbursementRequested.type}'
    WHERE p.state <> 'completed' AND (r.data->>'approvals_required')::int > 0
        AND NOT EXISTS (SELECT 1 {_OF_REQUEST.format(type=DisbursementCancelled.type)})
    ) awaiting"""


async def awaiting_approval(
    db: asyncpg.Connection, *, fund_id: UUID | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The tranches awaiting approval, the longest waiting first, with their grants' titles,
    teams and funds by name."""
    page = await paging.fetch_page(
        db,
        _AWAITING,
        [("approvals < approvals_required", ()), ("fund_id = ?", one(fund_id))],
        {"position": int},
        limit,
        cursor,
    )
    teams = await store.teams.teams(db, {r["team_id"] for r in page.items})
    funds = await queries.history.opened_names(db, "fund", {r["fund_id"] for r in page.items})
    items = [
        {
            **{k: v for k, v in row.items() if k != "position"},
            "team_name": teams.get(row["team_id"], {}).get("name"),
            "fund_name": funds.get(row["fund_id"]),
            "amount_yuan": yuan(row["amount_fen"]),
            "approved_yuan": yuan(row["approved_fen"]),
            "disbursed_yuan": yuan(row["disbursed_fen"]),
        }
        for row in page.items
    ]
    return paging.Page(items=items, next_cursor=page.next_cursor)

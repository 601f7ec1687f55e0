"""Disclosures as the national charity disclosure platform asks for them: a grant's, a
round's with its grants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.aggregate import fold
from wushe_events.catalogue.funds import ApplicationSubmitted, ExpenseReported, RoundAllocated
from wushe_events.errors import NotFound
from wushe_funds import store
from wushe_funds.domain import application as app
from wushe_funds.domain.project import project_of
from wushe_funds.queries.history import community_of, opened_names, stream
from wushe_funds.queries.rounds import round_view


async def disclosure(db: asyncpg.Connection, application_id: UUID) -> dict[str, Any]:
    """One grant as the national charity disclosure platform asks for it: purpose, how it
    was selected, amounts, expenses and outcomes. Nothing personal: teams by public name."""
    history = await stream(db, "application", application_id)
    state = app.found(fold(app.evolve, (e for e, _, _ in history)), application_id)
    # The latest submission: a team may have withdrawn and applied again.
    submitted = [e for e, _, _ in history if isinstance(e, ApplicationSubmitted)][-1]
    grant = project_of((e, at) for e, _, at in history)
    if grant is None:  # only grants are disclosed, not applications under review
        raise NotFound("approved grant", application_id)
    expenses = [(e, at) for e, _, at in history if isinstance(e, ExpenseReported)]
    return {
        "application_id": application_id,
        "round_id": state.round_id,
        "fund_id": (fund_id := await db.fetchval(store.projects.ROUND_FUND, str(state.round_id))),
        "fund_name": (await opened_names(db, "fund", {fund_id})).get(fund_id),
        "project": submitted.title,
        "purpose": submitted.summary,
        "theme": submitted.theme,
        "community_id": state.community_id,
        **await community_of(db, state.community_id),
        "grantee": await store.teams.team_name(db, state.team_id),
        "state": state.state.value,
        # As the projects list says it: under_way, suspended (a mid-term evaluation failed)
        # or completed.
        "project_state": grant.state.value,
        "selection": {
            "method": "micro-venture round: eligibility check, scored review, decision",
            "reviews": len(state.reviews),
            "mean_score": state.mean_score,
            "decided_at": grant.approved_at,
        },
        "amounts": {
            "requested_fen": state.requested_fen,
            "approved_fen": state.approved_fen,
            "disbursed_fen": state.disbursed_fen,
            "tranches": sum(1 for d in state.disbursements if d.paid),
        },
        "budget_lines": [line.model_dump() for line in submitted.budget_lines],
        "expenses": [
            {
                "category": e.category,
                "amount_fen": e.amount_fen,
                "receipt_sha256": e.receipt_sha256,
                "reported_at": at,
            }
            for e, at in expenses
        ],
        "expenses_fen": state.expenses_fen,
        "outcomes": grant.outcomes,
        # Its latest change, and whether three months passed since while it runs.
        "updated_at": grant.updated_at,
        "update_due": grant.update_due(datetime.now(UTC)),
    }


async def round_disclosure(db: asyncpg.Connection, round_id: UUID) -> dict[str, Any]:
    history = await stream(db, "round", round_id)
    view = await round_view(db, round_id)
    grants = [e.application_id for e, _, _ in history if isinstance(e, RoundAllocated)]
    return {
        **view,
        "fund_name": (await opened_names(db, "fund", {view["fund_id"]})).get(view["fund_id"]),
        "grants": [await disclosure(db, grant) for grant in grants],
    }

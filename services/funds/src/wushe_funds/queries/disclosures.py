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
from wushe_funds.queries.history import (
    Recorded,
    community_in,
    community_of,
    opened_names,
    stream,
    streams,
)
from wushe_funds.queries.rounds import round_view
from wushe_service import communities


async def disclosure(db: asyncpg.Connection, application_id: UUID) -> dict[str, Any]:
    """One grant as the national charity disclosure platform asks for it: purpose, how it
    was selected, amounts, expenses and outcomes. Nothing personal: teams by public name."""
    history = await stream(db, "application", application_id)
    state = app.found(fold(app.evolve, (e for e, _, _ in history)), application_id)
    fund_id = await db.fetchval(store.projects.ROUND_FUND, str(state.round_id))
    return _disclosed(
        application_id,
        history,
        state,
        fund_id,
        (await opened_names(db, "fund", {fund_id})).get(fund_id),
        await community_of(db, state.community_id),
        await store.teams.team_name(db, state.team_id),
    )


def _disclosed(
    application_id: UUID,
    history: list[Recorded],
    state: app.Application,
    fund_id: UUID,
    fund_name: str | None,
    community: dict[str, Any],
    grantee: str | None,
) -> dict[str, Any]:
    """A grant's disclosure from its stream and the names it gives (its fund's, its
    community's, its team's), read by the caller: one grant's or a whole round's at once."""
    # The latest submission: a team may have withdrawn and applied again.
    submitted = [e for e, _, _ in history if isinstance(e, ApplicationSubmitted)][-1]
    grant = project_of((e, at) for e, _, at in history)
    if grant is None:  # only grants are disclosed, not applications under review
        raise NotFound("approved grant", application_id)
    expenses = [(e, at) for e, _, at in history if isinstance(e, ExpenseReported)]
    return {
        "application_id": application_id,
        "round_id": state.round_id,
        "fund_id": fund_id,
        "fund_name": fund_name,
        "project": submitted.title,
        "purpose": submitted.summary,
        "theme": submitted.theme,
        "community_id": state.community_id,
        **community,
        "grantee": grantee,
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
    """A round with every grant it made, in the order it made them: a fixed number of
    queries however many grants (the round's stream, its envelopes' communities, its fund's
    name, the grants' streams, their communities and their teams, each read once)."""
    history = await stream(db, "round", round_id)
    view = await round_view(db, round_id, history)
    fund_id = view["fund_id"]
    grants = [e.application_id for e, _, _ in history if isinstance(e, RoundAllocated)]
    histories = await streams(db, "application", set(grants))
    states = [
        (grant, app.found(fold(app.evolve, (e for e, _, _ in histories.get(grant, []))), grant))
        for grant in grants
    ]
    places = await communities.names(db, {state.community_id for _, state in states})
    teams = await store.teams.teams(db, {state.team_id for _, state in states})
    fund_name = (await opened_names(db, "fund", {fund_id})).get(fund_id)
    return {
        **view,
        "fund_name": fund_name,
        "grants": [
            _disclosed(
                grant,
                histories[grant],
                state,
                fund_id,
                fund_name,
                community_in(places, state.community_id),
                teams.get(state.team_id, {}).get("name"),
            )
            for grant, state in states
        ],
    }

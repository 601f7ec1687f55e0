"""Grant rounds: one as the public and as staff see it, and the office's list of them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.aggregate import fold
from wushe_events.catalogue.funds import RoundOpened
from wushe_funds import store
from wushe_funds.domain import round as rounds
from wushe_funds.queries.funds import _BY_OCCURRENCE
from wushe_funds.queries.history import Recorded, stream, streams
from wushe_service import communities, paging
from wushe_service.sql import one


async def round_view(
    db: asyncpg.Connection, round_id: UUID, history: list[Recorded] | None = None
) -> dict[str, Any]:
    """The round, from its stream (read here unless the caller has read it)."""
    if history is None:
        history = await stream(db, "round", round_id)
    state = _state(round_id, history)
    return _view(round_id, state, await communities.names(db, set(state.community_budgets_fen)))


def _state(round_id: UUID, history: list[Recorded]) -> rounds.Round:
    return rounds.found(fold(rounds.evolve, (e for e, _, _ in history)), round_id)


def _view(round_id: UUID, state: rounds.Round, names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The round as it is shown, `names` those of (at least) its envelopes' communities."""
    return {
        "round_id": round_id,
        "fund_id": state.fund_id,
        "name": state.name,
        "budget_fen": state.budget_fen,
        "allocated_fen": state.allocated_fen,
        "per_project_cap_fen": state.per_project_cap_fen,
        "themes": list(state.themes),
        "criteria": list(state.criteria),
        "closes_at": state.closes_at,
        # open, closed (its deadline passed, or closed early) or cancelled
        "state": state.state(datetime.now(UTC)),
        "closed_early_because": state.closed_because,
        "cancelled_because": state.cancelled_because,
        # Its envelopes, by community name: empty for a round with one budget for all.
        "communities": [
            {
                "community_id": community_id,
                **names.get(community_id, {"name": None, "street": None}),
                "budget_fen": budget,
                "allocated_fen": state.community_allocated_fen.get(community_id, 0),
                "left_fen": state.community_left_fen(community_id),
            }
            for community_id, budget in sorted(state.community_budgets_fen.items())
        ],
    }


async def round_for_staff(db: asyncpg.Connection, round_id: UUID) -> dict[str, Any]:
    """The round as `round_view` shows it, with the managers' notes on closing or cancelling
    it (never in the public disclosure, which builds on `round_view`)."""
    view = await round_view(db, round_id)
    notes = await store.notes.round_notes(db, round_id)
    return {
        **view,
        "closing_note": notes.get("closed"),
        "cancellation_note": notes.get("cancelled"),
    }


async def rounds_list(
    db: asyncpg.Connection, *, fund_id: UUID | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The office's grant rounds, oldest first."""
    page = await paging.fetch_page(
        db,
        "SELECT aggregate_id, occurred_at FROM events",
        [
            ("event_type = ?", (RoundOpened.type,)),
            ("data->>'fund_id' = ?", one(fund_id and str(fund_id))),
        ],
        _BY_OCCURRENCE,
        limit,
        cursor,
    )
    # The page's rounds, their streams and their envelopes' communities read at once: three
    # queries however long the page.
    ids = [UUID(r["aggregate_id"]) for r in page.items]
    histories = await streams(db, "round", set(ids))
    states = [(the_id, _state(the_id, histories.get(the_id, []))) for the_id in ids]
    names = await communities.names(db, {c for _, s in states for c in s.community_budgets_fen})
    items = [_view(the_id, state, names) for the_id, state in states]
    return paging.Page(items=items, next_cursor=page.next_cursor)

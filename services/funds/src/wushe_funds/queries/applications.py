"""Grant applications as each reader may see them: the team, staff, a reviewer, anyone
else; and the lists of a round's or a team's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.aggregate import fold
from wushe_events.errors import NotFound
from wushe_funds import store
from wushe_funds.domain import application as app
from wushe_funds.queries.history import stream
from wushe_service import auth, paging


def application_view(state: app.Application, *, running_mean: bool = False) -> dict[str, Any]:
    """`running_mean`: the mean score while the application is still under review (eligible),
    which only the fund's staff see: a reviewer scores without it, and the team and the public
    learn it with the decision."""
    under_review = state.state is app.State.eligible
    return {
        "application_id": state.application_id,
        "round_id": state.round_id,
        "team_id": state.team_id,
        "community_id": state.community_id,
        "title": state.title,
        "state": state.state.value,
        "ineligible_because": list(state.reasons),
        "rejected_because": state.rejected_because,
        "requested_fen": state.requested_fen,
        "approved_fen": state.approved_fen,
        "disbursed_fen": state.disbursed_fen,
        "expenses_fen": state.expenses_fen,
        "reviews": len(state.reviews),
        "mean_score": None if under_review and not running_mean else state.mean_score,
        "tranches_released": state.tranches_released,
        "suspended": state.suspended,
        "disbursements": [
            {
                "disbursement_id": d.disbursement_id,
                "tranche": d.tranche,
                "amount_fen": d.amount_fen,
                "approvals_required": d.approvals_required,
                "approvals": len(d.approvals),
                "paid": d.paid,
            }
            for d in state.disbursements
        ],
    }


def project_view(state: app.Application, team_name: str | None) -> dict[str, Any]:
    """What the team proposed: for those who judge it and for the team itself."""
    return {
        "team_name": team_name,
        "summary": state.summary,
        "theme": state.theme,
        "budget_lines": [line.model_dump() for line in state.budget_lines],
        "need_ids": list(state.need_ids),
    }


def reviews_view(
    state: app.Application, comments: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    """Each reviewer's scores, mean and comments, and the recusals, with the reviewer's name
    where a token of theirs gives one (`names`): for staff only."""
    return {
        "reviewers": [
            {
                "reviewer_id": reviewer,
                "reviewer_name": names.get(reviewer),
                "scores": dict(state.scores.get(reviewer, {})),
                "score": score,  # the event's, rounded to a whole point
                "mean_score": state.review_mean(reviewer),
                "comments": comments.get(reviewer),
            }
            for reviewer, score in state.reviews.items()
        ],
        "recusals": [
            {"reviewer_id": r, "reviewer_name": names.get(r), "reason": why}
            for r, why in state.recusals.items()
        ],
    }


async def application(
    db: asyncpg.Connection,
    application_id: UUID,
    *,
    office: str | None = None,
    staff: bool = False,
    person: UUID | None = None,
    reviewer: bool = False,
    running_mean: bool | None = None,
) -> dict[str, Any]:
    """`staff` see the project and its reviews — a `reviewer` their own review and recusal
    only, so that each scores on their own (独立评审); a coordinator of the applying team
    (`person`) sees the project; anyone else, its title and amounts. The mean score of an
    application still under review is fund staff's only (`running_mean`). The reviewers are
    named as the tokens of the `office` name them."""
    state = fold(app.evolve, (e for e, _, _ in await stream(db, "application", application_id)))
    state = app.found(state, application_id)
    if running_mean is None:
        running_mean = staff and not reviewer
    view = application_view(state, running_mean=running_mean)
    if staff or (
        person is not None and await store.teams.is_coordinator(db, state.team_id, person)
    ):
        view |= project_view(state, await store.teams.team_name(db, state.team_id))
    if staff:
        people = {*state.reviews, *state.recusals}
        names = await auth.names_of_people(db, office, people) if office else {}
        reviews = reviews_view(state, await store.notes.comments_of(db, application_id), names)
        if reviewer:
            reviews = {
                key: [r for r in listed if str(r["reviewer_id"]) == str(person)]
                for key, listed in reviews.items()
            }
        view |= reviews
        view["rejection_note"] = await store.notes.rejection_note(db, application_id)
    return view


async def applications_of_round(
    db: asyncpg.Connection,
    round_id: UUID,
    *,
    state: app.State | None,
    limit: int,
    cursor: str | None,
    running_mean: bool = False,
) -> paging.Page[dict[str, Any]]:
    """The round's applications in the order they were first submitted."""
    after = paging.decode(cursor, int)
    found = await store.applications.round_applications_after(
        db, round_id, after[0] if after else 0
    )
    return await _applications_page(db, found, state, limit, running_mean)


async def applications_of_team(
    db: asyncpg.Connection,
    team_id: UUID,
    *,
    state: app.State | None,
    limit: int,
    cursor: str | None,
    running_mean: bool = False,
) -> paging.Page[dict[str, Any]]:
    """The team's applications, to every round, in the order they were first submitted."""
    after = paging.decode(cursor, int)
    found = await store.applications.team_applications_after(db, team_id, after[0] if after else 0)
    if not found and cursor is None and await store.teams.team_name(db, team_id) is None:
        raise NotFound("team", team_id)
    return await _applications_page(db, found, state, limit, running_mean)


async def _applications_page(
    db: asyncpg.Connection,
    found: list[asyncpg.Record],
    state: app.State | None,
    limit: int,
    running_mean: bool,
) -> paging.Page[dict[str, Any]]:
    """A state is a fold, not a column: the applications (found by the index of their round
    or team) are folded and filtered here, and a page ends once `limit` of them match."""
    items: list[dict[str, Any]] = []
    last = 0  # the position of the last item taken
    for row in found:
        view = await application(db, row["application_id"], running_mean=running_mean)
        if state is not None and view["state"] != state.value:
            continue
        if len(items) == limit:
            return paging.Page(items=items, next_cursor=paging.encode((last,)))
        items.append(view)
        last = row["submitted_position"]
    return paging.Page(items=items)

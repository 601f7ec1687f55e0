"""The public projects list (项目清单公示): each community's micro-venture projects (微创投)
that were granted — under way, suspended after a failed mid-term evaluation, or completed —
across every round and fund, with what was approved, paid and spent, as their disclosures show.

Only what was decided: an application submitted or under review is a team's proposal, not yet
the office's project, and one rejected or withdrawn never was; the disclosure page, which this
list links to, refuses them too. Teams by their public name; never a reviewer, a score or a
donor."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.aggregate import fold
from wushe_events.catalogue.funds import ApplicationApproved, ProjectCompleted
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES, TEAM_KINDS
from wushe_funds import queries, store
from wushe_funds.domain import application as app
from wushe_service import communities
from wushe_service.sql import snapshot


class ProjectState(StrEnum):
    under_way = "under_way"
    suspended = "suspended"  # a mid-term evaluation failed: no tranche until one passes
    completed = "completed"


STATE_LABELS = {
    ProjectState.under_way: "实施中",
    ProjectState.suspended: "暂停拨付（中期评估未通过）",
    ProjectState.completed: "已结项",
}

# Every event of every application ever approved, in order: one read, folded here.
_GRANTED = """SELECT aggregate_id, event_id, event_type, data::text AS data, occurred_at
    FROM events WHERE aggregate = 'application' AND aggregate_id IN (
        SELECT aggregate_id FROM events WHERE aggregate = 'application' AND event_type = $1)
    ORDER BY aggregate_id, version"""


def state_of(grant: app.Application) -> ProjectState:
    if grant.state is app.State.completed:
        return ProjectState.completed
    return ProjectState.suspended if grant.suspended else ProjectState.under_way


async def _granted(db: asyncpg.Connection) -> list[tuple[app.Application, list[queries.Recorded]]]:
    histories: dict[str, list[asyncpg.Record]] = defaultdict(list)
    for row in await db.fetch(_GRANTED, ApplicationApproved.type):
        histories[row["aggregate_id"]].append(row)
    granted = []
    for rows in histories.values():
        history = queries.decoded(rows)
        grant = fold(app.evolve, (e for e, _, _ in history))
        assert grant is not None  # an approved application was submitted
        granted.append((grant, history))
    return granted


class _Names:
    """What the projects name: their teams and needs' categories, read at once; their rounds
    and funds, each read once per list."""

    def __init__(self, db: asyncpg.Connection) -> None:
        self.db = db
        self.rounds: dict[UUID, dict[str, Any]] = {}
        self.funds: dict[UUID, str] = {}
        self.teams: dict[UUID, dict[str, str]] = {}
        self.categories: dict[UUID, str] = {}

    async def load(self, grants: list[app.Application]) -> _Names:
        self.teams = await store.teams(self.db, {g.team_id for g in grants})
        needs = {n for g in grants for n in g.need_ids}
        self.categories = await store.need_categories(self.db, needs)
        return self

    async def round(self, round_id: UUID) -> dict[str, Any]:
        if round_id not in self.rounds:
            self.rounds[round_id] = await queries.round_view(self.db, round_id)
        return self.rounds[round_id]

    async def fund(self, fund_id: UUID) -> str:
        if fund_id not in self.funds:
            self.funds[fund_id] = (await queries.fund_opened(self.db, fund_id)).name
        return self.funds[fund_id]

    def categories_of(self, grant: app.Application) -> list[str]:
        """Each once, in the order the application first names it."""
        found = (self.categories.get(n) for n in grant.need_ids)
        return list(dict.fromkeys(c for c in found if c is not None))


async def _project(
    names: _Names, grant: app.Application, history: list[queries.Recorded]
) -> dict[str, Any]:
    """One project, its figures from the fold its disclosure makes."""
    round_ = await names.round(grant.round_id)
    team = names.teams.get(grant.team_id)
    approved_at = next(at for e, _, at in history if isinstance(e, ApplicationApproved))
    completed = next((e for e, _, _ in history if isinstance(e, ProjectCompleted)), None)
    state = state_of(grant)
    categories = names.categories_of(grant)
    return {
        "application_id": grant.application_id,
        "title": grant.title,
        "team_name": team and team["name"],
        "team_kind": team and team["kind"],
        "team_kind_label": team and TEAM_KINDS.label(team["kind"]),
        "round_id": grant.round_id,
        "round_name": round_["name"],
        "fund_id": round_["fund_id"],
        "fund_name": await names.fund(round_["fund_id"]),
        "theme": grant.theme,
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "approved_at": approved_at,
        "approved_fen": grant.approved_fen,
        "disbursed_fen": grant.disbursed_fen,
        "expenses_fen": grant.expenses_fen,
        "needs_answered": len(grant.need_ids),
        "need_categories": categories,
        "need_category_labels": [NEED_CATEGORIES.label(c) for c in categories],
        "outcomes": None
        if completed is None
        else {"beneficiaries": completed.beneficiaries, "activities": completed.activities},
        "disclosure_url": f"/public/applications/{grant.application_id}/disclosure",
        "ledger_url": f"/public/funds/{round_['fund_id']}/ledger",
    }


def _totals(projects: list[dict[str, Any]]) -> dict[str, Any]:
    by_state = {s.value: 0 for s in ProjectState}
    for p in projects:
        by_state[p["state"]] += 1
    return {
        "projects": len(projects),
        "by_state": by_state,
        "approved_fen": sum(p["approved_fen"] for p in projects),
        "disbursed_fen": sum(p["disbursed_fen"] for p in projects),
        "expenses_fen": sum(p["expenses_fen"] for p in projects),
    }


async def projects_list(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    street: str | None,
    state: ProjectState | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """A page of communities, by street and name, each with its projects, the most recently
    approved first; `totals` over every community the filters select, not just this page. A
    community with no project is listed (with zeros) only when asked for by its id. Read in
    one snapshot: the totals and the page agree."""
    async with snapshot(db):
        granted = [(g, h) for g, h in await _granted(db) if state in (None, state_of(g))]
        places = {g.community_id for g, _ in granted}
        page = await communities.public_page(
            db,
            community_id=community_id,
            street=street,
            limit=limit,
            cursor=cursor,
            having=("c.community_id = ANY(?)", (sorted(places),)),
        )
        kept = await _in_communities(db, places, community_id, street)
        by_community = await _by_community(
            db, [(g, h) for g, h in granted if g.community_id in kept]
        )
    every = [p for projects in by_community.values() for p in projects]
    return {
        "community_id": community_id,
        "street": street,
        "state": state,
        "totals": _totals(every)
        | {"communities": len(page.items) if community_id else len(by_community)},
        "items": [
            {
                **c,
                "totals": _totals(by_community[c["community_id"]]),
                "projects": by_community[c["community_id"]],
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
    }


async def _by_community(
    db: asyncpg.Connection, granted: list[tuple[app.Application, list[queries.Recorded]]]
) -> defaultdict[str, list[dict[str, Any]]]:
    """The projects of each community, the most recently approved first."""
    names = await _Names(db).load([g for g, _ in granted])
    by_community: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for grant, history in granted:
        by_community[grant.community_id].append(await _project(names, grant, history))
    for projects in by_community.values():
        projects.sort(key=_latest_first)
    return by_community


def _latest_first(project: dict[str, Any]) -> tuple[float, str]:
    at: datetime = project["approved_at"]
    return (-at.timestamp(), str(project["application_id"]))


async def _in_communities(
    db: asyncpg.Connection, places: set[str], community_id: str | None, street: str | None
) -> set[str]:
    """Those of `places` the filters select (and this service knows)."""
    rows = await db.fetch(
        """SELECT community_id FROM communities WHERE community_id = ANY($1::text[])
           AND ($2::text IS NULL OR community_id = $2) AND ($3::text IS NULL OR street = $3)""",
        sorted(places),
        community_id,
        street,
    )
    return {r["community_id"] for r in rows}

"""The public projects list (项目清单公示): each community's micro-venture projects (微创投)
that were granted — under way, suspended after a failed mid-term evaluation, or completed —
across every round and fund, with what was approved, paid and spent, as their disclosures show.

Only what was decided: an application submitted or under review is a team's proposal, not yet
the office's project, and one rejected or withdrawn never was; the disclosure page, which this
list links to, refuses them too. Teams by their public name; never a reviewer, a score or a
donor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES, TEAM_KINDS
from wushe_funds import queries, store
from wushe_funds.domain.project import UPDATE_INTERVAL, Project, ProjectState
from wushe_service import communities
from wushe_service.sql import snapshot

STATE_LABELS = {
    ProjectState.under_way: "实施中",
    ProjectState.suspended: "暂停拨付（中期评估未通过）",
    ProjectState.completed: "已结项",
}

# The rows of the `projects` table (kept by the `EventStore` hook in each event's
# transaction), never the events: a request's cost is that of the projects it shows.
_HAS_PROJECTS = """EXISTS (SELECT 1 FROM projects p
    WHERE p.community_id = c.community_id AND p.state = ANY(?::text[]))"""

# Each community's figures by state, over every community the filters select (and this
# service knows): a row per community and state, whatever the number of projects.
_FIGURES = """SELECT p.community_id, p.state, count(*) AS projects,
        sum(p.approved_fen)::bigint AS approved_fen,
        sum(p.disbursed_fen)::bigint AS disbursed_fen,
        sum(p.expenses_fen)::bigint AS expenses_fen,
        count(*) FILTER (WHERE p.state <> 'completed' AND p.updated_at <= $4) AS update_due
    FROM projects p JOIN communities c USING (community_id)
    WHERE p.state = ANY($1::text[])
      AND ($2::text IS NULL OR c.community_id = $2) AND ($3::text IS NULL OR c.street = $3)
    GROUP BY p.community_id, p.state"""

# The page's communities' projects, the most recently approved first.
_PROJECTS = """SELECT * FROM projects
    WHERE community_id = ANY($1::text[]) AND state = ANY($2::text[])
    ORDER BY community_id, approved_at DESC, application_id"""


@dataclass(frozen=True)
class _Names:
    """What the projects name, each kind read at once: their teams, their needs' categories,
    and the names their rounds and funds opened with."""

    teams: dict[UUID, dict[str, str]]
    categories: dict[UUID, str]
    rounds: dict[UUID, str | None]
    funds: dict[UUID, str | None]

    @classmethod
    async def load(cls, db: asyncpg.Connection, rows: list[asyncpg.Record]) -> _Names:
        return cls(
            teams=await store.teams.teams(db, {r["team_id"] for r in rows}),
            categories=await store.need_categories.need_categories(
                db, {n for r in rows for n in r["need_ids"]}
            ),
            rounds=await queries.history.opened_names(db, "round", {r["round_id"] for r in rows}),
            funds=await queries.history.opened_names(db, "fund", {r["fund_id"] for r in rows}),
        )

    def categories_of(self, grant: Project) -> list[str]:
        """Each once, in the order the application first names it."""
        found = (self.categories.get(n) for n in grant.need_ids)
        return list(dict.fromkeys(c for c in found if c is not None))


def _project(names: _Names, row: asyncpg.Record, now: datetime) -> dict[str, Any]:
    """One project, its figures those of the fold its disclosure makes."""
    grant, fund_id = store.projects.project_from(row), row["fund_id"]
    team = names.teams.get(grant.team_id)
    categories = names.categories_of(grant)
    return {
        "application_id": grant.application_id,
        "title": grant.title,
        "team_name": team and team["name"],
        "team_kind": team and team["kind"],
        "team_kind_label": team and TEAM_KINDS.label(team["kind"]),
        "round_id": grant.round_id,
        "round_name": names.rounds.get(grant.round_id),
        "fund_id": fund_id,
        "fund_name": names.funds.get(fund_id),
        "theme": grant.theme,
        "state": grant.state.value,
        "state_label": STATE_LABELS[grant.state],
        "approved_at": grant.approved_at,
        "approved_fen": grant.approved_fen,
        "disbursed_fen": grant.disbursed_fen,
        "expenses_fen": grant.expenses_fen,
        "needs_answered": len(grant.need_ids),
        "need_categories": categories,
        "need_category_labels": [NEED_CATEGORIES.label(c) for c in categories],
        "outcomes": grant.outcomes,
        "updated_at": grant.updated_at,
        "update_due": grant.update_due(now),
        "disclosure_url": f"/public/applications/{grant.application_id}/disclosure",
        "ledger_url": f"/public/funds/{fund_id}/ledger",
    }


def _totals(figures: list[asyncpg.Record]) -> dict[str, Any]:
    """Projects and money summed over rows of `_FIGURES`."""
    by_state = {s.value: 0 for s in ProjectState}
    for f in figures:
        by_state[f["state"]] += f["projects"]
    return {
        "projects": sum(by_state.values()),
        "by_state": by_state,
        "approved_fen": sum(f["approved_fen"] for f in figures),
        "disbursed_fen": sum(f["disbursed_fen"] for f in figures),
        "expenses_fen": sum(f["expenses_fen"] for f in figures),
        "update_due": sum(f["update_due"] for f in figures),
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
    states = [state.value] if state else [s.value for s in ProjectState]
    now = datetime.now(UTC)
    async with snapshot(db):
        page = await communities.public_page(
            db,
            community_id=community_id,
            street=street,
            limit=limit,
            cursor=cursor,
            having=(_HAS_PROJECTS, (states,)),
        )
        figures: defaultdict[str, list[asyncpg.Record]] = defaultdict(list)
        for row in await db.fetch(_FIGURES, states, community_id, street, now - UPDATE_INTERVAL):
            figures[row["community_id"]].append(row)
        shown = [c["community_id"] for c in page.items]
        by_community = await _by_community(db, shown, states, now)
    return {
        "community_id": community_id,
        "street": street,
        "state": state,
        "totals": _totals([f for rows in figures.values() for f in rows])
        | {"communities": len(page.items) if community_id else len(figures)},
        "items": [
            {
                **c,
                "totals": _totals(figures[c["community_id"]]),
                "projects": by_community[c["community_id"]],
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
    }


async def _by_community(
    db: asyncpg.Connection, community_ids: list[str], states: list[str], now: datetime
) -> defaultdict[str, list[dict[str, Any]]]:
    """The projects of each of the communities, the most recently approved first."""
    rows = await db.fetch(_PROJECTS, community_ids, states)
    names = await _Names.load(db, rows)
    by_community: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_community[row["community_id"]].append(_project(names, row, now))
    return by_community

"""A granted application as the public sees it: a project (项目) under way, suspended or
completed, with what was approved, paid and spent. One fold of an application's history, so
that the `projects` table's hook, its fill and the disclosure read a grant the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import ApplicationApproved, ProjectCompleted
from wushe_funds.domain import application as app

# 慈善组织信息公开办法 (2018) art. 17: a project is disclosed at least every three months
# while it runs. Each event of a grant updates its disclosure; a project under way or
# suspended with none for this long is due an update (its team reports, its managers
# evaluate or pay, or it completes).
UPDATE_INTERVAL = timedelta(days=90)


class ProjectState(StrEnum):
    under_way = "under_way"
    suspended = "suspended"  # a mid-term evaluation failed: no tranche until one passes
    completed = "completed"


@dataclass(frozen=True)
class Project:
    application_id: UUID
    community_id: str
    round_id: UUID
    team_id: UUID
    title: str
    theme: str | None
    state: ProjectState
    approved_at: datetime
    approved_fen: int
    disbursed_fen: int
    expenses_fen: int
    need_ids: tuple[UUID, ...]
    updated_at: datetime  # when its latest event occurred: its disclosure's last change
    beneficiaries: int | None = None  # the outcomes, once completed
    activities: int | None = None

    def update_due(self, now: datetime) -> bool:
        """Still running, and its disclosure unchanged for three months or more."""
        return self.state is not ProjectState.completed and now - self.updated_at >= UPDATE_INTERVAL

    @property
    def outcomes(self) -> dict[str, int] | None:
        if self.beneficiaries is None or self.activities is None:
            return None
        return {"beneficiaries": self.beneficiaries, "activities": self.activities}


def state_of(grant: app.Application) -> ProjectState:
    if grant.state is app.State.completed:
        return ProjectState.completed
    return ProjectState.suspended if grant.suspended else ProjectState.under_way


def project_of(history: Iterable[tuple[Event, datetime]]) -> Project | None:
    """The project an application's events (each with when it occurred, in order) make, or
    None if it was never granted: approved once, an application stays granted."""
    grant: app.Application | None = None
    approved_at: datetime | None = None
    completed: ProjectCompleted | None = None
    updated_at: datetime | None = None
    for event, at in history:
        grant = app.evolve(grant, event)
        updated_at = at
        if isinstance(event, ApplicationApproved) and approved_at is None:
            approved_at = at
        elif isinstance(event, ProjectCompleted) and completed is None:
            completed = event
    if grant is None or approved_at is None or updated_at is None:
        return None
    return Project(
        application_id=grant.application_id,
        community_id=grant.community_id,
        round_id=grant.round_id,
        team_id=grant.team_id,
        title=grant.title,
        theme=grant.theme,
        state=state_of(grant),
        approved_at=approved_at,
        approved_fen=grant.approved_fen,
        disbursed_fen=grant.disbursed_fen,
        expenses_fen=grant.expenses_fen,
        need_ids=grant.need_ids,
        updated_at=updated_at,
        beneficiaries=None if completed is None else completed.beneficiaries,
        activities=None if completed is None else completed.activities,
    )

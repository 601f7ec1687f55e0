"""Teams and organisations: volunteer teams, social organisations, universities, enterprises,
party organisations; their members and coordinators."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    MemberRole,
    TeamKind,
    TeamMemberAdded,
    TeamMemberRemoved,
    TeamRegistered,
)
from wushe_events.errors import NotFound, RuleBroken
from wushe_volunteers.domain.volunteer import Volunteer, active


@dataclass(frozen=True)
class Team:
    team_id: UUID
    kind: TeamKind
    name: str
    members: dict[UUID, MemberRole]

    def coordinates(self, volunteer_id: UUID | None) -> bool:
        return self.members.get(volunteer_id) is MemberRole.coordinator if volunteer_id else False


@dataclass(frozen=True)
class Caller:
    """Who gives a command about a team: an admin, for any team, or a coordinator as the
    volunteer their token names, for the teams they coordinate (谁组织谁记录)."""

    person_id: UUID | None
    admin: bool = False


ADMIN = Caller(None, admin=True)


def may_coordinate(team: Team, caller: Caller) -> None:
    """Only a coordinator of `team` (or an admin) runs it: its members, activities, hours."""
    if not caller.admin and not team.coordinates(caller.person_id):
        raise RuleBroken(
            "not_team_coordinator",
            f"only a coordinator of team {team.team_id} (or an admin) may do this",
        )


def register(
    team_id: UUID,
    kind: TeamKind,
    name: str,
    founder: Volunteer | None = None,
    founder_id: UUID | None = None,
) -> list[Event]:
    """A new team; the coordinator who registers it (`founder_id`) is its first coordinator,
    so that it can be run without an admin."""
    events: list[Event] = [TeamRegistered(team_id=team_id, kind=kind, name=name)]
    if founder_id is not None:
        active(founder, founder_id, "person_id")
        events.append(
            TeamMemberAdded(team_id=team_id, volunteer_id=founder_id, role=MemberRole.coordinator)
        )
    return events


def found(team: Team | None, team_id: UUID) -> Team:
    if team is None:
        raise NotFound("team", team_id)
    return team


def _keeps_a_coordinator(team: Team, volunteer_id: UUID) -> None:
    """A team is run by its coordinators: the last one cannot leave or step down until
    another is named (else only an admin could run it, and nobody would know to)."""
    others = [v for v, r in team.members.items() if r is MemberRole.coordinator]
    if others == [volunteer_id]:
        raise RuleBroken(
            "last_coordinator",
            f"volunteer {volunteer_id} is team {team.team_id}'s only coordinator: name another "
            "coordinator first",
        )


def add_member(
    team: Team | None,
    team_id: UUID,
    volunteer: Volunteer | None,
    volunteer_id: UUID,
    role: MemberRole,
    caller: Caller,
) -> list[Event]:
    team = found(team, team_id)
    may_coordinate(team, caller)
    active(volunteer, volunteer_id)
    if team.members.get(volunteer_id) == role:
        raise RuleBroken(
            "already_member", f"volunteer {volunteer_id} is already a {role} of team {team_id}"
        )
    if role is not MemberRole.coordinator:
        _keeps_a_coordinator(team, volunteer_id)
    return [TeamMemberAdded(team_id=team_id, volunteer_id=volunteer_id, role=role)]


def remove_member(
    team: Team | None, team_id: UUID, volunteer_id: UUID, caller: Caller
) -> list[Event]:
    team = found(team, team_id)
    may_coordinate(team, caller)
    if volunteer_id not in team.members:
        raise RuleBroken("not_a_member", f"volunteer {volunteer_id} is not in team {team_id}")
    _keeps_a_coordinator(team, volunteer_id)
    return [
        TeamMemberRemoved(
            team_id=team_id, volunteer_id=volunteer_id, role=team.members[volunteer_id]
        )
    ]


def evolve(state: Team | None, event: Event) -> Team:
    match event:
        case TeamRegistered():
            return Team(event.team_id, event.kind, event.name, {})
        case TeamMemberAdded() if state is not None:
            return replace(state, members={**state.members, event.volunteer_id: event.role})
        case TeamMemberRemoved() if state is not None:
            members = {k: v for k, v in state.members.items() if k != event.volunteer_id}
            return replace(state, members=members)
    raise TypeError(f"{event.type} does not apply to a team")

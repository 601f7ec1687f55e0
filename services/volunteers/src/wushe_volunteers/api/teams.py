"""Teams and organisations, their members; pairings (一校两社); sites (阵地)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from wushe_events.catalogue.volunteers import SiteKind, TeamKind
from wushe_service.api import AnyRole, Db, Principal, Role, Store, acting_as, require
from wushe_service.auth import PERSONAL_ROLES
from wushe_service.forbidden import Forbidden
from wushe_service.paging import Cursor, Limit, Page
from wushe_volunteers import queries
from wushe_volunteers.api.caller import caller
from wushe_volunteers.commands import people
from wushe_volunteers.domain.team import Caller

router = APIRouter()
Coordinator = Annotated[Principal, require(Role.coordinator)]
Organiser = Annotated[Any, require(Role.coordinator, Role.social_worker)]
# Whom a person coordinates is about that person: a volunteer's or a coordinator's token (as a
# reviewer's) asks it of its own person only, as the funds service's list of teams does.
_OWN_TEAMS_ONLY = PERSONAL_ROLES | {Role.coordinator}
_OWN_TEAMS_RULE = (
    "only the person themself or the office's staff (a social worker, an admin…) may ask which "
    "teams a person coordinates"
)
# Who belongs to a team is personal data: its own coordinators (acting as the person their
# token names) see it to run the team, social workers to pair and refer, admins anything.
_MAY_LIST_ANY_TEAMS_MEMBERS = frozenset({Role.admin, Role.social_worker})
_MEMBERS_RULE = (
    "a team's members are personal data: only the team's coordinators, a social worker or an "
    "admin may list them (a coordinator's token as the volunteer it names, --person)"
)


@router.post("/teams", status_code=201, tags=["teams"], summary="Register a team or organisation")
async def register_team(body: people.RegisterTeam, store: Store, who: Coordinator) -> dict:
    """A coordinator whose token names them becomes the new team's first coordinator."""
    registrar = Caller(who.person_id, admin=who.role is Role.admin)
    return {"team_id": await people.register_team(store, body, registrar)}


@router.get(
    "/teams",
    tags=["teams"],
    summary="Teams and organisations, by kind or by who coordinates them",
    description="Every team, as the public resources list shows them; with coordinator_id, "
    "those that person coordinates: a volunteer's or a coordinator's token asks it of its own "
    "person only (another coordinator_id is a 403), staff of anyone's.",
)
async def list_teams(
    db: Db,
    who: AnyRole,
    kind: TeamKind | None = None,
    coordinator_id: Annotated[
        UUID | None, Query(description="a volunteer id: the teams they coordinate")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    if coordinator_id is not None:
        acting_as(who, coordinator_id, "coordinator_id", _OWN_TEAMS_ONLY, rule=_OWN_TEAMS_RULE)
    filters = [
        ("kind = ?", queries.one(kind)),
        (queries.COORDINATED_BY, queries.one(coordinator_id)),
    ]
    return await queries.listing(db, "teams", filters, limit, cursor)


@router.get(
    "/teams/{team_id}/members",
    tags=["teams"],
    summary="A team's members and roles (its coordinators, social workers and admins)",
)
async def list_members(team_id: UUID, db: Db, who: AnyRole) -> list[dict[str, Any]]:
    members = await queries.team_members(db, team_id)
    if who.role not in _MAY_LIST_ANY_TEAMS_MEMBERS and not _coordinates(members, who.person_id):
        raise Forbidden("not_team_coordinator", _MEMBERS_RULE, team_id=str(team_id))
    return members


def _coordinates(members: list[dict[str, Any]], person_id: UUID | None) -> bool:
    return any(m["volunteer_id"] == person_id and m["role"] == "coordinator" for m in members)


@router.post(
    "/teams/{team_id}/members",
    status_code=204,
    tags=["teams"],
    summary="Add a member (or make them a coordinator)",
)
async def add_member(team_id: UUID, body: people.AddMember, store: Store, who: Coordinator) -> None:
    await people.add_member(store, team_id, body, caller(who))


@router.delete(
    "/teams/{team_id}/members/{volunteer_id}",
    status_code=204,
    tags=["teams"],
    summary="Remove a member",
)
async def remove_member(team_id: UUID, volunteer_id: UUID, store: Store, who: Coordinator) -> None:
    await people.remove_member(store, team_id, volunteer_id, caller(who))


@router.post(
    "/pairings",
    status_code=201,
    tags=["pairings"],
    summary="Pair a university, a social organisation and a community (一校两社)",
)
async def establish_pairing(body: people.EstablishPairing, store: Store, _who: Organiser) -> dict:
    return {"pairing_id": await people.establish_pairing(store, body)}


@router.get("/pairings", tags=["pairings"], summary="Pairings, by community or team")
async def list_pairings(
    db: Db,
    _who: AnyRole,
    community_id: str | None = None,
    team_id: UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    filters = [
        ("community_id = ?", queries.one(community_id)),
        ("? IN (university_team_id, social_org_team_id)", queries.one(team_id)),
    ]
    return await queries.listing(db, "pairings", filters, limit, cursor)


@router.post("/sites", status_code=201, tags=["sites"], summary="Register a site (阵地)")
async def register_site(body: people.RegisterSite, store: Store, _who: Organiser) -> dict:
    return {"site_id": await people.register_site(store, body)}


@router.get("/sites", tags=["sites"], summary="Sites, by community and kind")
async def list_sites(
    db: Db,
    _who: AnyRole,
    community_id: str | None = None,
    kind: SiteKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    filters = [("community_id = ?", queries.one(community_id)), ("kind = ?", queries.one(kind))]
    return await queries.listing(db, "sites", filters, limit, cursor)

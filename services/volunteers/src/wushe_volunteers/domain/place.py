"""Pairings (一校两社: a university, a social organisation, a community) and sites (阵地)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import (
    PairingEstablished,
    SiteKind,
    SiteRegistered,
    TeamKind,
)
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_volunteers.domain.team import Team

_PAIRINGS = uuid.UUID("6f1c8a3e-7d43-4bd2-9a7f-1f3b0c2e5a10")


def pairing_id(university_team_id: UUID, social_org_team_id: UUID, community_id: str) -> UUID:
    """One id per triple: the pairing's stream can be created once, whoever races for it."""
    return uuid.uuid5(_PAIRINGS, f"{university_team_id}/{social_org_team_id}/{community_id}")


@dataclass(frozen=True)
class Pairing:
    pairing_id: UUID


def establish(
    existing: Pairing | None,
    university: Team | None,
    university_team_id: UUID,
    social_org: Team | None,
    social_org_team_id: UUID,
    community_id: str,
) -> list[Event]:
    if university is None or university.kind is not TeamKind.university:
        raise InvalidReference("university_team_id", "names no university team")
    if social_org is None or social_org.kind is not TeamKind.social_org:
        raise InvalidReference("social_org_team_id", "names no social organisation")
    the_id = pairing_id(university_team_id, social_org_team_id, community_id)
    if existing is not None:
        raise RuleBroken(
            "pairing_exists",
            f"this university, social organisation and community are already paired ({the_id})",
        )
    return [
        PairingEstablished(
            pairing_id=the_id,
            university_team_id=university_team_id,
            social_org_team_id=social_org_team_id,
            community_id=community_id,
        )
    ]


def evolve_pairing(_state: Pairing | None, event: Event) -> Pairing:
    if isinstance(event, PairingEstablished):
        return Pairing(event.pairing_id)
    raise TypeError(f"{event.type} does not apply to a pairing")


@dataclass(frozen=True)
class Site:
    site_id: UUID
    kind: SiteKind
    name: str
    community_id: str


def register_site(site_id: UUID, kind: SiteKind, name: str, community_id: str) -> list[Event]:
    return [SiteRegistered(site_id=site_id, kind=kind, name=name, community_id=community_id)]


def evolve_site(_state: Site | None, event: Event) -> Site:
    if isinstance(event, SiteRegistered):
        return Site(event.site_id, event.kind, event.name, event.community_id)
    raise TypeError(f"{event.type} does not apply to a site")

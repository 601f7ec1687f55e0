"""A community (社区/村) within a street or town (街道/镇)."""

from __future__ import annotations

from dataclasses import dataclass

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import CommunityRegistered, CommunityRenamed
from wushe_events.errors import NotFound, RuleBroken


@dataclass(frozen=True)
class Community:
    community_id: str
    name: str
    street: str


def register(
    existing: Community | None,
    community_id: str,
    name: str,
    street: str,
    namesake: str | None = None,
) -> list[Event]:
    """`namesake`: another community of the street with this name, however spaced."""
    if existing is not None:
        raise RuleBroken("community_exists", f"community {community_id} is already registered")
    _unique(name, street, namesake)
    return [CommunityRegistered(community_id=community_id, name=name, street=street)]


def rename(
    community: Community | None,
    community_id: str,
    name: str,
    street: str,
    namesake: str | None = None,
) -> list[Event]:
    if community is None:
        raise NotFound("community", community_id)
    if (community.name, community.street) == (name, street):
        return []
    _unique(name, street, namesake)
    return [CommunityRenamed(community_id=community_id, name=name, street=street)]


def _unique(name: str, street: str, namesake: str | None) -> None:
    # Two of one name in a street would split its residents, needs and figures in two.
    if namesake is not None:
        raise RuleBroken(
            "community_exists", f"{street} already has a community named {name}: {namesake}"
        )


def evolve(state: Community | None, event: Event) -> Community:
    match event:
        case CommunityRegistered() | CommunityRenamed():
            return Community(event.community_id, event.name, event.street)
    raise TypeError(f"{event.type} does not apply to a community")

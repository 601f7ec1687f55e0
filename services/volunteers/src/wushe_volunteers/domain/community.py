"""Communities (社区/村) as the needs service registers them: the volunteers service keeps a
replica from its events, and takes no community it has not heard of."""

from __future__ import annotations

from dataclasses import dataclass

from wushe_events.errors import RuleBroken


@dataclass(frozen=True)
class Community:
    community_id: str
    name: str
    street: str


def known(community: Community | None, community_id: str) -> Community:
    """The community, which the needs service must have registered (and this service heard
    of): a typo'd id would leave a volunteer, a site or an activity in no community at all."""
    if community is None:
        raise RuleBroken(
            "community_unknown",
            f"community_id: no community {community_id!r} is known here (yet): the needs "
            "service registers communities, and this service learns of them from its events",
        )
    return community

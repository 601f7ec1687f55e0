"""The volunteers aggregates. Pure: decisions and folds."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import Certification, VolunteerRegistered


@dataclass(frozen=True)
class Volunteer:
    volunteer_id: UUID
    community_id: str
    skills: tuple[str, ...]
    certification: Certification
    display_name: str | None


def register_volunteer(
    volunteer_id: UUID,
    community_id: str,
    skills: list[str],
    certification: Certification,
    display_name: str | None,
    show_name_publicly: bool,
) -> list[Event]:
    return [
        VolunteerRegistered(
            volunteer_id=volunteer_id,
            community_id=community_id,
            skills=sorted(set(skills)),
            certification=certification,
            # The public name goes on the bus only with the volunteer's consent.
            display_name=display_name if show_name_publicly else None,
        )
    ]


def evolve_volunteer(state: Volunteer | None, event: Event) -> Volunteer:
    match event:
        case VolunteerRegistered():
            return Volunteer(
                event.volunteer_id,
                event.community_id,
                tuple(event.skills),
                event.certification,
                event.display_name,
            )
    raise TypeError(f"{event.type} does not apply to a volunteer")

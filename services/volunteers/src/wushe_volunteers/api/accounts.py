"""账号管理 on the volunteers service: the office admin's accounts (`wushe_service.accounts`),
served here because the people that personal tokens act for — volunteers, and the social
workers among them — are on this service's register, where the admin finds them by name, and
this service knows the office's streets (its replica of the needs service's communities)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from wushe_events.errors import InvalidReference, RuleBroken
from wushe_service import accounts
from wushe_volunteers.domain.volunteer import VolunteerStatus


async def serving_volunteer(db: asyncpg.Connection, person_id: UUID) -> None:
    """A token acts for a volunteer on the register who has not withdrawn (nor been erased,
    which withdraws them): a suspended one is still on it, and may be again."""
    status = await db.fetchval("SELECT status FROM volunteers WHERE volunteer_id = $1", person_id)
    if status is None:
        raise InvalidReference(
            "person_id",
            f"no volunteer {person_id} is on this office's register: choose the person from it",
            "unknown_person",
        )
    if status == VolunteerStatus.withdrawn:
        raise RuleBroken(
            "person_withdrawn",
            f"person_id: volunteer {person_id} has withdrawn (or their personal data was "
            "erased): no token may act for them",
        )


router = accounts.router(serving_volunteer)

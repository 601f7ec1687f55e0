"""账号管理 on the volunteers service: the office admin's accounts (`wushe_service.accounts`),
served here because the people that personal tokens act for — volunteers, and the social
workers among them — are on this service's register, where the admin finds them by name, and
this service knows the office's streets (its replica of the needs service's communities)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from fastapi import Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.volunteers import Certification
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_service import accounts
from wushe_service import workbench as workbench_page
from wushe_service.auth import PERSONAL_ROLES
from wushe_volunteers.api.presentation import settings as settings_of
from wushe_volunteers.api.workbench import VOLUNTEER_STATUSES
from wushe_volunteers.domain.volunteer import VolunteerStatus

CERTIFICATIONS = {
    Certification.none: "志愿者",
    Certification.assistant: "助理社会工作师",
    Certification.intermediate: "社会工作师",
    Certification.senior: "高级社会工作师",
}


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


def page(request: Request) -> HTMLResponse:
    """The page (账号管理): it holds no data; its script calls the API with the admin's token."""
    settings = settings_of(request)
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "personal_roles": sorted(r.value for r in PERSONAL_ROLES),
        "labels": {
            "certifications": {c.value: CERTIFICATIONS[c] for c in Certification},
            "volunteer_statuses": {s.value: VOLUNTEER_STATUSES[s] for s in VolunteerStatus},
        },
    }
    return workbench_page.page("wushe_volunteers", config, name="accounts.html")


router = accounts.router(serving_volunteer, page)

"""The public resources list (资源清单公示), no login."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from wushe_service import communities, public_pages
from wushe_service.api import Db, PageFormat, wants_html
from wushe_service.paging import Cursor, Limit
from wushe_volunteers import pages, resources_list
from wushe_volunteers.api import presentation

router = APIRouter(tags=["public"])


@router.get(
    "/public/resources",
    summary="The public resources list (资源清单公示, no login): each community's sites, the "
    "teams and organisations active there, its 一校两社 pairings, its volunteers and social "
    "workers counted and its activities to come; nobody one by one",
)
async def public_resources_list(
    request: Request,
    db: Db,
    community_id: str | None = None,
    street: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    await communities.filtering_by(db, community_id)
    listed = await resources_list.resources_list(
        db,
        community_id=community_id,
        street=street,
        now=datetime.now(UTC),
        limit=limit,
        cursor=cursor,
    )
    if not wants_html(request, format):
        return listed
    filters = {"community_id": community_id, "street": street, "limit": limit}
    settings = presentation.settings(request)
    return public_pages.response(
        pages.resources_list_page(
            listed, filters, settings.display_name(), settings.public_contact, settings.public_urls
        )
    )

"""The public sign-up page (志愿者报名), no login: `GET /join` shows the form, `POST /join`
takes it (an HTML form post, answered with a page).

Against spam, a honeypot field (`website`): a bot that fills in every field gets the same
"received" page as a person and nothing is stored. Against a script that sends the form over
and over, a limit per client address and one for the whole office, over any 60 minutes
(`join_limits`, counted in PostgreSQL: every replica counts the same; the address as the
trusted proxies forward it, WUSHE_TRUSTED_PROXIES): over either, a 429 page with
`Retry-After`, nothing stored. A person who presses 提交 twice does not apply twice: one
pending application per phone number (the unique digest in `application_phones`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from wushe_events.errors import InvalidReference, RuleBroken
from wushe_service import communities, public_pages, strict_query
from wushe_service.api import Db, Store, VaultDep
from wushe_volunteers import join_limits, join_page
from wushe_volunteers.api import presentation
from wushe_volunteers.commands import applications
from wushe_volunteers.settings import VolunteersSettings

router = APIRouter(tags=["public"])
log = structlog.get_logger()
HONEYPOT = "website"
CHECKBOXES = ("consent_personal_data", "show_name_publicly", "guardian_consent")
LARGEST = 20_000  # bytes of a form, far above what its fields can hold


async def _communities(db: Db) -> list[dict[str, Any]]:
    page = await communities.public_page(db, community_id=None, street=None, limit=200, cursor=None)
    return page.items


def _values(body: bytes) -> dict[str, Any]:
    """The form's fields as the command takes them: blanks left out (the command names a
    required one), the skills a list, a checkbox true when ticked."""
    sent = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    values: dict[str, Any] = {
        field: found[0].strip()
        for field, found in sent.items()
        if field not in ("skills", *CHECKBOXES) and found and found[0].strip()
    }
    values["skills"] = sent.get("skills", [])
    for box in CHECKBOXES:
        values[box] = box in sent
    return values


def _in_words(error: Any) -> tuple[str, str]:
    loc = error.get("loc") or ()
    field = str(loc[0]) if loc else "name"
    if error["type"] == "display_name_required":
        field = "display_name"
    if error["type"] == "string_too_long":  # the cap the form's maxlength also sets
        return field, f"最多 {(error.get('ctx') or {}).get('max_length')} 个字"
    return field, join_page.WORDS.get(error["type"], "填写有误，请核对")


def _received(settings: VolunteersSettings) -> public_pages.Document:
    return join_page.received_page(
        settings.display_name(),
        settings.public_urls,
        retention_days=settings.application_retention_days,
    )


def _too_many(settings: VolunteersSettings, refused: join_limits.Refused) -> HTMLResponse:
    page = join_page.too_many_page(
        settings.display_name(),
        refused.whose,
        math.ceil(refused.retry_after / 60),
        settings.public_contact,
        settings.public_urls,
    )
    answer = public_pages.response(page, status_code=429)
    answer.headers["Retry-After"] = str(refused.retry_after)
    return answer


@router.get(
    "/join",
    response_class=HTMLResponse,
    summary="The public sign-up form (志愿者报名)",
    openapi_extra=strict_query.OTHERS_IGNORED,
)
async def join_form(request: Request, db: Db, community_id: str | None = None) -> HTMLResponse:
    """`community_id`: the community chosen to begin with (a community's own link). Other
    parameters — a tracking tag on a poster's QR code, `?from=poster` — are ignored."""
    settings = presentation.settings(request)
    values = {"community_id": community_id}
    return public_pages.response(
        join_page.form_page(
            await _communities(db),
            settings.display_name(),
            settings.public_urls,
            values,
            retention_days=settings.application_retention_days,
        )
    )


async def _within_largest(request: Request) -> bytes:
    """The form's first `LARGEST` bytes; the rest of a larger body (a public page's: anyone's)
    is never read, let alone held in memory."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) >= LARGEST:
            break
    return body[:LARGEST]


@router.post(
    "/join",
    response_class=HTMLResponse,
    summary="Apply to become a volunteer (an HTML form post; answered with a page, 422 naming "
    "the fields to put right; 429 with Retry-After over the limit of a client or the office in "
    "any 60 minutes)",
    responses={
        429: {
            "description": "Over the limit of forms of a client or the office in any 60 "
            "minutes: a page saying when to send it again (Retry-After), nothing stored",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    },
)
async def join(request: Request, db: Db, store: Store, vault: VaultDep) -> HTMLResponse:
    settings = presentation.settings(request)
    now = datetime.now(UTC)
    address = request.client.host if request.client else "unknown"
    limited = await join_limits.take(
        db,
        now,
        join_limits.client_of(vault, now, address),
        settings.join_limit_per_client,
        settings.join_limit_per_office,
    )
    if limited is not None:
        log.info("application_limited", limit=limited.whose)
        return _too_many(settings, limited)
    values = _values(await _within_largest(request))
    if values.pop(HONEYPOT, None):
        log.info("application_honeypot")
        return public_pages.response(_received(settings))
    errors: dict[str, str] = {}
    status = 422
    try:
        command = applications.SubmitApplication.model_validate(values)
        await applications.submit(
            store, vault, command, now, now.astimezone(settings.zone()).date()
        )
    except ValidationError as invalid:
        errors = dict(_in_words(e) for e in reversed(invalid.errors()))
    except InvalidReference as wrong:
        errors = {wrong.field: join_page.WORDS.get(wrong.code, "填写有误，请核对")}
    except RuleBroken as refused:  # a community gone since the form was shown
        errors, status = {"community_id": join_page.WORDS.get(refused.rule, str(refused))}, 409
    if errors:
        page = join_page.form_page(
            await _communities(db),
            settings.display_name(),
            settings.public_urls,
            values,
            errors,
            retention_days=settings.application_retention_days,
        )
        return public_pages.response(page, status_code=status)
    return public_pages.response(_received(settings))

"""账号管理: the office admin's accounts (bearer tokens) over HTTP, with the rules of
`wushe token create / list / revoke` — for the admin at the office's desk, not the command line.

Here, in the shared library, because the tokens are the office's (the `auth` schema every
service shares) and the rules are the same wherever they are served; a service serves it with
its own register of the people that personal tokens act for (`Register`). The volunteers
service does (`wushe_volunteers.api.accounts`): volunteers and social workers are on its
register, which also finds them by name for the page and knows the office's streets.

A new token is answered once, with `Cache-Control: no-store`, and never kept: only its hash
is stored, the Idempotency-Key middleware keeps no copy of a `no-store` answer, and logs carry
token ids only. A resend with the same Idempotency-Key (a timeout, a double click) makes no
second token: it is answered 409 `token_shown_once` with the account's id. Who made and who
revoked each token is recorded with it (`created_by`, `revoked_by`: the admin's token id) and
listed beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wushe_events.catalogue.base import ShortName
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_service import auth, communities, idempotency
from wushe_service.api import (
    Credentials,
    Db,
    PageFormat,
    Principal,
    authenticate,
    authorise,
    require,
    wants_html,
)

log = structlog.get_logger()
Admin = Annotated[Principal, require()]  # admins only
# Checks that a person id is someone a token may act for: raises InvalidReference (unknown,
# 422) or RuleBroken (not serving, 409).
Register = Callable[[asyncpg.Connection, UUID], Awaitable[None]]
Page = Callable[[Request], HTMLResponse]
NO_STORE = {"Cache-Control": "no-store"}


class NewAccount(BaseModel):
    """An account to make: what `wushe token create` takes."""

    model_config = ConfigDict(extra="forbid")

    role: auth.Role
    name: ShortName = Field(description="who holds it, e.g. 王社工")
    person_id: UUID | None = Field(
        None,
        description="the volunteer register entry it acts for: required for volunteer and "
        "reviewer tokens; a coordinator's runs the teams this person coordinates",
    )
    street: ShortName | None = Field(
        None,
        description="the street (街道/乡镇) it serves, one of the communities' (null: the "
        "whole office)",
    )
    expires_at: AwareDatetime | None = Field(None, description="refused from then on (null: never)")


def state(row: dict[str, Any], now: datetime) -> str:
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return "expired"
    return "active"


async def accounts(db: asyncpg.Connection, engine: Any, office: str) -> list[dict[str, Any]]:
    """The office's tokens, newest first, each with the names of its person and of the
    admins who made and revoked it; never a secret (only hashes are stored)."""
    rows = await auth.list_tokens(engine, office)
    people = await auth.names_of_people(db, office, [str(r["person_id"]) for r in rows])
    names = {r["token_id"]: r["name"] for r in rows}
    now = datetime.now(UTC)
    return [
        row
        | {
            "person_name": people.get(str(row["person_id"])),
            "created_by_name": names.get(row["created_by"]),
            "revoked_by_name": names.get(row["revoked_by"]),
            "state": state(row, now),
        }
        for row in rows
    ]


async def check(
    db: asyncpg.Connection, register: Register, new: NewAccount, *, new_street: bool = False
) -> None:
    """The rules of a new account, here and in `wushe token create` alike. `new_street`: the
    operator's `--new-street`, a street whose first community is still to be registered —
    by the token being made, which registers its street's communities (the needs service)."""
    if new.person_id is None and new.role in auth.PERSONAL_ROLES:
        raise InvalidReference(
            "person_id",
            f"required for a {new.role.value} token: it acts only for its own person — choose "
            "them from the volunteers' register",
            "person_required",
        )
    if new.person_id is not None:
        await register(db, new.person_id)
    if new.street is not None and not new_street:
        known = await communities.streets(db)
        if new.street not in known:
            listed = "、".join(known) or "none yet"
            raise InvalidReference(
                "street",
                f"no community of the office is on this street; streets known: {listed}",
                "unknown_street",
            )
    if new.expires_at is not None and new.expires_at <= datetime.now(UTC):
        raise InvalidReference("expires_at", "must be in the future", "expiry_past")


def shown_once(token_id: UUID) -> dict[str, Any]:
    """What a resend of a create with its Idempotency-Key is answered: the account it made,
    by id, without its token — shown once, to the first send."""
    return {
        "detail": (
            f"此请求已处理：令牌只显示一次 — account {token_id} was made by the first request"
            " sent with this Idempotency-Key, and its token is not shown again: if it was lost,"
            " revoke the account and make another"
        ),
        "rule": "token_shown_once",
        "token_id": str(token_id),
    }


def router(register: Register, page: Page | None = None) -> APIRouter:
    """The accounts API (admins only), and `page` at `GET /accounts` for a browser."""
    routes = APIRouter(tags=["accounts"])

    @routes.get(
        "/accounts",
        summary="账号管理: the office's tokens, newest first, with whom they act for, their "
        "street, expiry and who made or revoked them — never a token itself (admins); the "
        "page to manage them, to a browser",
    )
    async def list_accounts(
        request: Request, db: Db, credentials: Credentials, format: PageFormat = None
    ) -> Any:
        # The page holds no data: its script calls this list with the admin's token.
        if page is not None and credentials is None and wants_html(request, format):
            return page(request)
        authorise(await authenticate(request, credentials))
        runtime = request.app.state.runtime
        return {"items": await accounts(db, runtime.engine, runtime.office)}

    @routes.post(
        "/accounts",
        status_code=201,
        summary="Make an account (a token) for someone; the token is answered this once and "
        "never again — only its hash is stored; a resend with the same Idempotency-Key makes "
        "none and is a 409 token_shown_once naming the account (admins)",
    )
    async def create_account(
        body: NewAccount, request: Request, response: Response, db: Db, who: Admin
    ) -> dict[str, Any]:
        await check(db, register, body)
        runtime = request.app.state.runtime
        token_id, token = await auth.issue_token(
            runtime.engine,
            role=body.role,
            name=body.name,
            office=who.office,
            person_id=body.person_id,
            expires_at=body.expires_at,
            street=body.street,
            created_by=who.token_id,
        )
        # Said at once: should this answer fail from here on, a resend still makes no other.
        idempotency.answer_resends(request.scope, shown_once(token_id))
        log.info("account_created", token_id=str(token_id), role=body.role.value)
        response.headers.update(NO_STORE)
        made = next(
            a for a in await accounts(db, runtime.engine, who.office) if a["token_id"] == token_id
        )
        return made | {"token": token}

    @routes.post(
        "/accounts/{token_id}/revoke",
        summary="Revoke an account: its token is refused from now on, by every service (admins)",
    )
    async def revoke_account(
        token_id: UUID, request: Request, db: Db, who: Admin
    ) -> dict[str, Any]:
        runtime = request.app.state.runtime
        found = {a["token_id"]: a for a in await accounts(db, runtime.engine, who.office)}
        if token_id not in found:
            raise NotFound("account", token_id)
        if token_id == who.token_id:
            raise RuleBroken(
                "own_account",
                "this is the token you are signed in with: revoke it signed in with another "
                "admin's, so that the office is never left without an admin",
            )
        if not await auth.revoke_token(runtime.engine, token_id, revoked_by=who.token_id):
            raise RuleBroken("account_revoked", f"account {token_id} is revoked already")
        log.info("account_revoked", token_id=str(token_id))
        revoked = await accounts(db, runtime.engine, who.office)
        return next(a for a in revoked if a["token_id"] == token_id)

    return routes

"""Bearer tokens with roles (DESIGN §5), stored as SHA-256 hashes in the `auth` schema.

Tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely (a slow
password hash protects guessable secrets; these are not guessable).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import asyncpg
import structlog
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from wushe_events.store import EventStore
from wushe_events.trace import acting
from wushe_service import strict_query
from wushe_service.forbidden import Forbidden
from wushe_service.roles import Role

log = structlog.get_logger()
SCHEMA = "auth"
MIGRATIONS = "wushe_service:migrations/auth"
CACHE_SECONDS = 30.0  # a bound on staleness should a revocation's notification be missed
REVOKED = "wushe_tokens_revoked"  # the PostgreSQL channel a revocation is announced on
# A token's `last_used_at` is written when it is looked up (not cached) and older than this:
# a write at most every few minutes per token, not one per request.
USED_EVERY = "5 minutes"


# Roles held by one person, who acts only as themself: their token names the person (see
# `acting_as`). The other roles are office staff, who name in the request whom they act for.
PERSONAL_ROLES = frozenset({Role.volunteer, Role.reviewer})

# How a person gets a token that names them, as a refusal of one that names nobody ends: ask
# the office admin, who makes it on the accounts page (wushe_service.accounts) — and, for an
# operator, the command that does the same.
ASK_FOR_A_PERSONAL_TOKEN = (
    "ask the office admin for a token that names you (账号管理, the accounts page at /accounts "
    "of the volunteers service); operators: wushe token create --person <volunteer id>"
)


class RevokedToken(Exception):
    """The token given to store is one an admin revoked: a revocation sticks (the token may
    have leaked), so nothing stores it again as a live token."""


class Principal(BaseModel):
    token_id: UUID
    name: str
    role: Role
    office: str
    person_id: UUID | None = None
    # The street (街道/乡镇) the token serves: its residents only, where a service enforces it
    # (the needs service). None: the whole office.
    street: str | None = None

    @property
    def person(self) -> str | None:
        """Who did it, for an event's `recorded_by` or `surveyor`: the token's person id, never
        the token's id or name (a token may be shared or revoked; a person is on a register)."""
        return str(self.person_id) if self.person_id else None

    @property
    def person_or_token(self) -> UUID:
        """Whom rules of "two different people" count: the token's person, else the token."""
        return self.person_id or self.token_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "wst_" + secrets.token_urlsafe(32)


async def create_token(
    engine: AsyncEngine,
    *,
    role: Role,
    name: str,
    office: str,
    token: str | None = None,
    person_id: UUID | None = None,
    expires_at: datetime | None = None,
    street: str | None = None,
) -> str:
    """Store a token (a new one unless given) and return it; only its hash is kept.

    `person_id` is the volunteer register entry the token acts for; volunteer and reviewer
    tokens need one to act as a person at all. From `expires_at` on, the token is refused.
    `street` limits it to the residents of that street (None: the whole office); a blank one
    is refused rather than read as the whole office. A token given that is stored already is
    updated to these, unless it was revoked: then `RevokedToken` is raised and nothing
    changes (the bootstrap admin's `WUSHE_ADMIN_TOKEN` at each start)."""
    _token_id, token = await issue_token(
        engine,
        role=role,
        name=name,
        office=office,
        token=token,
        person_id=person_id,
        expires_at=expires_at,
        street=street,
    )
    return token


async def issue_token(
    engine: AsyncEngine,
    *,
    role: Role,
    name: str,
    office: str,
    token: str | None = None,
    person_id: UUID | None = None,
    expires_at: datetime | None = None,
    street: str | None = None,
    created_by: UUID | None = None,
) -> tuple[UUID, str]:
    """`create_token`, answering the token's id too; `created_by`: the admin's token that
    made it (the accounts page), None from the command line."""
    if street is not None and not street.strip():
        raise ValueError("street: blank; leave it out for a token of the whole office")
    token = token or new_token()
    async with engine.begin() as connection:
        token_id = (
            await connection.execute(
                text("""INSERT INTO auth.tokens
                            (token_id, token_hash, name, role, office, person_id, expires_at,
                             street, created_by)
                        VALUES (:id, :hash, :name, :role, :office, :person, :expires, :street,
                                :by)
                        ON CONFLICT (token_hash) DO UPDATE
                        SET role = excluded.role, office = excluded.office,
                            person_id = excluded.person_id, expires_at = excluded.expires_at,
                            street = excluded.street
                        WHERE auth.tokens.revoked_at IS NULL
                        RETURNING token_id"""),
                {
                    "id": uuid4(),
                    "hash": hash_token(token),
                    "name": name,
                    "role": role.value,
                    "office": office,
                    "person": person_id,
                    "expires": expires_at,
                    "street": street.strip() if street else None,
                    "by": created_by,
                },
            )
        ).scalar_one_or_none()
    if token_id is None:  # stored already, and revoked: a revocation sticks
        raise RevokedToken("the token given was revoked; make a new one")
    return token_id, token


async def list_tokens(engine: AsyncEngine, office: str) -> list[dict[str, Any]]:
    """The office's tokens, newest first, without their secrets (only hashes are stored)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("""SELECT token_id, name, role, person_id, street, created_at, expires_at,
                           revoked_at, created_by, revoked_by, last_used_at
                    FROM auth.tokens WHERE office = :office ORDER BY created_at DESC"""),
            {"office": office},
        )
        return [dict(row._mapping) for row in rows]


async def revoked(engine: AsyncEngine, token: str) -> bool:
    """Whether `token` is one an admin revoked (False for a token never stored)."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT revoked_at IS NOT NULL FROM auth.tokens WHERE token_hash = :hash"),
            {"hash": hash_token(token)},
        )
    return bool(found)


async def revoke_token(
    engine: AsyncEngine, token_id: UUID, *, revoked_by: UUID | None = None
) -> bool:
    """Revoke a token; False when there is no such live token. The services hear of it when
    the transaction commits (NOTIFY) and refuse it from then on. `revoked_by`: the admin's
    token that did it (the accounts page), None from the command line."""
    async with engine.begin() as connection:
        result = await connection.execute(
            text("""UPDATE auth.tokens SET revoked_at = now(), revoked_by = :by
                    WHERE token_id = :id AND revoked_at IS NULL"""),
            {"id": token_id, "by": revoked_by},
        )
        revoked = bool(result.rowcount)  # type: ignore[attr-defined]
        if revoked:
            await connection.execute(
                text("SELECT pg_notify(:channel, :id)"), {"channel": REVOKED, "id": str(token_id)}
            )
    return revoked


async def names_of_people(
    db: asyncpg.Connection, office: str, person_ids: Iterable[str]
) -> dict[str, str]:
    """What the office's tokens call the people `person_ids` (each one's newest token: a token
    acts for its person, `wushe token create --person … --name …`), for staff views of who did
    what — the surveyor of a visit, the reviewers of an application. A name is never put on
    the bus; an id that is not a UUID (events carry people as text) is no token's person."""
    ids = []
    for person in person_ids:
        try:
            ids.append(UUID(person))
        except ValueError:
            continue
    rows = await db.fetch(
        """SELECT DISTINCT ON (person_id) person_id, name FROM auth.tokens
           WHERE office = $1 AND person_id = ANY($2::uuid[])
           ORDER BY person_id, created_at DESC""",
        office,
        ids,
    )
    return {str(r["person_id"]): r["name"] for r in rows}


class Tokens:
    """Looks tokens up, with a short cache so that a request costs no query most times."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, token: str) -> Principal | None:
        digest = hash_token(token)
        cached = self._cache.get(digest)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        async with self.engine.begin() as connection:
            row = (
                await connection.execute(
                    text(f"""WITH found AS (
                            SELECT token_id, name, role, office, person_id, street,
                                   extract(epoch FROM expires_at - now()) AS lifetime
                            FROM auth.tokens
                            WHERE token_hash = :hash AND revoked_at IS NULL
                              AND (expires_at IS NULL OR expires_at > now())
                        ), used AS (
                            UPDATE auth.tokens SET last_used_at = now()
                            WHERE token_id IN (SELECT token_id FROM found)
                              AND (last_used_at IS NULL
                                   OR last_used_at < now() - interval '{USED_EVERY}')
                        )
                        SELECT * FROM found"""),
                    {"hash": digest},
                )
            ).first()
        keep, principal = CACHE_SECONDS, None
        if row:
            found = dict(row._mapping)
            if (lifetime := found.pop("lifetime")) is not None:
                keep = min(keep, float(lifetime))
            principal = Principal(**found)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (time.monotonic() + keep, principal)  # not past its expiry
        return principal

    def forget(self) -> None:
        self._cache.clear()

    async def follow_revocations(self, store: EventStore) -> None:
        """Forget every cached token whenever one is revoked (`revoke_token` notifies), so that
        a revoked token is refused at once. Runs until cancelled; while its connection is
        down, the cache lives `CACHE_SECONDS` at most, and it is forgotten on reconnecting (a
        revocation may have been missed meanwhile)."""
        while True:
            try:
                await self._listen(store)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("token_revocations_unheard", error=type(error).__name__)
            await asyncio.sleep(1.0)

    async def _listen(self, store: EventStore) -> None:
        """Until the connection drops."""

        def revoked(*_: object) -> None:
            self.forget()

        closed = asyncio.Event()

        def terminated(_connection: object) -> None:
            closed.set()

        async with store.connection() as raw:
            raw.add_termination_listener(terminated)
            await raw.add_listener(REVOKED, revoked)
            try:
                self.forget()
                await closed.wait()
            finally:
                raw.remove_termination_listener(terminated)
                if not raw.is_closed():
                    await raw.remove_listener(REVOKED, revoked)


_bearer = HTTPBearer(auto_error=False)
# The bearer token of a request, if it has one: for a route that needs a token only sometimes.
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@strict_query.authenticating
async def authenticate(request: Request, credentials: Credentials) -> Principal:
    if credentials is None:
        raise HTTPException(
            401,
            "missing bearer token (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await request.app.state.tokens.principal(credentials.credentials)
    if principal is None:
        raise HTTPException(
            401, "unknown, revoked or expired token", headers={"WWW-Authenticate": "Bearer"}
        )
    if principal.office != request.app.state.office:
        raise Forbidden(
            "other_office",
            f"the token is for office {principal.office}, "
            f"this is office {request.app.state.office}",
            token_office=principal.office,
            office=request.app.state.office,
        )
    acting(principal.token_id)
    # Its query once the caller is known: without a token, 401 whatever the query says.
    strict_query.refuse_unknown(request)
    return principal


def require(*roles: Role):  # type: ignore[no-untyped-def]
    """A dependency: the caller's principal, if its role is one of `roles` (admin always is)."""

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        return authorise(principal, *roles)

    return Depends(check)


def authorise(principal: Principal, *roles: Role) -> Principal:
    """`principal`, if its role is one of `roles` or admin; else 403 naming the roles."""
    allowed = {Role.admin, *roles}
    if principal.role not in allowed:
        names = sorted(r.value for r in allowed)
        raise Forbidden(
            "role_not_allowed",
            f"role {principal.role.value} may not do this (allowed: {', '.join(names)})",
            role=principal.role.value,
            allowed_roles=names,
        )
    return principal


def acting_as(
    who: Principal,
    given: UUID | None,
    field: str,
    personal: frozenset[Role] = PERSONAL_ROLES,
    *,
    rule: str,
) -> UUID | None:
    """The person an action is done as, named by `field` in the request.

    A token of a personal role acts only for the person it names: it may leave `field` out,
    and any other id there is refused. Staff tokens (and admin) act for whoever they name.
    `rule` says in words who may do it (only the volunteer themself, a coordinator or an
    admin may …): a refusal says it first, so that it reads as a rule, not a mismatch."""
    if who.role not in personal:
        return given
    said = f"{field}: {rule} — "
    if who.person_id is None:
        raise Forbidden(
            "token_names_no_person",
            f"{said}a {who.role.value} token acts only for its own person, and this one "
            f"names none: {ASK_FOR_A_PERSONAL_TOKEN}",
            field=field,
            role=who.role.value,
        )
    if given is not None and given != who.person_id:
        raise Forbidden(
            "not_your_person",
            f"{said}this token acts for {who.person_id} only, not {given}",
            field=field,
            acts_for=str(who.person_id),
        )
    return who.person_id

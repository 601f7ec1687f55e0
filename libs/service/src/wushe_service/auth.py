"""Bearer tokens with roles (DESIGN §5), stored as SHA-256 hashes in the `auth` schema.

Tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely (a slow
password hash protects guessable secrets; these are not guessable).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

SCHEMA = "auth"
MIGRATIONS = "wushe_service:migrations/auth"
CACHE_SECONDS = 30.0


class Role(StrEnum):
    admin = "admin"
    social_worker = "social_worker"
    coordinator = "coordinator"
    volunteer = "volunteer"
    fund_manager = "fund_manager"
    reviewer = "reviewer"
    auditor = "auditor"
    viewer = "viewer"


class Principal(BaseModel):
    token_id: UUID
    name: str
    role: Role
    office: str


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
) -> str:
    """Store a token (a new one unless given) and return it; only its hash is kept."""
    token = token or new_token()
    async with engine.begin() as connection:
        await connection.execute(
            text("""INSERT INTO auth.tokens (token_id, token_hash, name, role, office)
                    VALUES (:id, :hash, :name, :role, :office)
                    ON CONFLICT (token_hash) DO UPDATE
                    SET role = excluded.role, office = excluded.office, revoked_at = NULL"""),
            {
                "id": uuid4(),
                "hash": hash_token(token),
                "name": name,
                "role": role.value,
                "office": office,
            },
        )
    return token


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
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(
                    text("""SELECT token_id, name, role, office FROM auth.tokens
                        WHERE token_hash = :hash AND revoked_at IS NULL"""),
                    {"hash": digest},
                )
            ).first()
        principal = Principal(**row._mapping) if row else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (time.monotonic() + CACHE_SECONDS, principal)
        return principal


_bearer = HTTPBearer(auto_error=False)


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            401,
            "missing bearer token (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await request.app.state.tokens.principal(credentials.credentials)
    if principal is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    if principal.office != request.app.state.office:
        raise HTTPException(
            403,
            f"the token is for office {principal.office}, "
            f"this is office {request.app.state.office}",
        )
    return principal


def require(*roles: Role):  # type: ignore[no-untyped-def]
    """A dependency: the caller's principal, if its role is one of `roles` (admin always is)."""
    allowed = {Role.admin, *roles}

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise HTTPException(
                403, f"role {principal.role.value} may not do this (allowed: {names})"
            )
        return principal

    return Depends(check)

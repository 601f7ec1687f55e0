"""Shared pieces of the services' HTTP APIs: dependencies, paging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

import asyncpg
from fastapi import Depends, Query, Request

from wushe_events.store import EventStore
from wushe_service.auth import (
    Credentials,
    Principal,
    Role,
    acting_as,
    authenticate,
    authorise,
    require,
)
from wushe_service.personal_data import Vault
from wushe_service.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_store(request: Request) -> EventStore:
    return get_runtime(request).store


async def get_db(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection for reading a service's tables during one request."""
    async with get_runtime(request).store.connection() as db:
        yield db


def get_vault(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


Store = Annotated[EventStore, Depends(get_store)]
Db = Annotated[asyncpg.Connection, Depends(get_db)]
VaultDep = Annotated[Vault, Depends(get_vault)]
AnyRole = Annotated[Principal, require(*Role)]


# A route that serves a page too takes `format: PageFormat = None` (error_pages looks for it).
PageFormat = Annotated[
    Literal["json", "html"] | None,
    Query(
        description="html: a page to read and print (also chosen by a browser's Accept: "
        "text/html); json: JSON whatever the Accept"
    ),
]


def wants_html(request: Request, format: str | None) -> bool:
    """A page to read and print: asked for by `?format=html`, or by a browser's Accept."""
    return format == "html" or (format is None and "text/html" in request.headers.get("accept", ""))


__all__ = [
    "AnyRole",
    "Credentials",
    "Db",
    "PageFormat",
    "Principal",
    "Role",
    "Store",
    "VaultDep",
    "acting_as",
    "authenticate",
    "authorise",
    "get_runtime",
    "require",
    "wants_html",
]

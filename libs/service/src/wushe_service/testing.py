"""Helpers for testing a service in-process against the real NATS and PostgreSQL fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from wushe_events.testing import new_database
from wushe_service.auth import Role, create_token
from wushe_service.runtime import Runtime
from wushe_service.settings import ServiceSettings

ADMIN_TOKEN = "wst_test-admin-token-0123456789abcdef0123456789"
# An office's contact (WUSHE_PUBLIC_CONTACT) as the tests of every public page set it — with
# markup to be escaped — and as the pages show it.
PUBLIC_CONTACT = (
    "阳明街道社工站 0574-62345678（周一至周五 8:30-17:00），<b>余姚市社会工作服务中心</b>"
)
PUBLIC_CONTACT_SHOWN = (
    "<strong class='contact'>阳明街道社工站 0574-62345678（周一至周五 8:30-17:00），"
    "&lt;b&gt;余姚市社会工作服务中心&lt;/b&gt;</strong>"
)

S = TypeVar("S", bound=ServiceSettings)


def settings_for(kind: type[S], database_url: str, nats_url: str, office: str, **fields: Any) -> S:
    """A service's settings on the test servers, bootstrapping `ADMIN_TOKEN`."""
    return kind(
        office=office,
        nats_url=nats_url,
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        log_format="console",
        **fields,
    )


async def public_page(client: httpx.AsyncClient, path: str) -> str:
    """A public page as anyone reads it: without a token, answered 200."""
    page = await client.get(path, headers={"Authorization": ""})
    assert page.status_code == 200, page.text
    return page.text


@asynccontextmanager
async def serving(app: FastAPI, token: str = ADMIN_TOKEN) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and give a client that sends `token` (the app is `client.app`)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@asynccontextmanager
async def migrated_template(postgres_url: str, app: Callable[[str], FastAPI]) -> AsyncIterator[str]:
    """The URL of a database migrated as the service `app(database_url)` migrates it, for a
    session's tests to copy (`database_url`) rather than each migrate its own."""
    async with new_database(postgres_url) as url:
        await app(url).state.runtime.migrate()
        yield url


TokenFor = Callable[..., Awaitable[dict[str, str]]]


def token_for(runtime: Runtime) -> TokenFor:
    """Makes the headers of a new token of a role (in this office unless told), acting for
    `person` and serving `street` when given."""

    async def make(
        role: Role,
        name: str | None = None,
        *,
        office: str | None = None,
        person: UUID | str | None = None,
        street: str | None = None,
    ) -> dict:
        token = await create_token(
            runtime.engine,
            role=role,
            name=name or f"test {role}",
            office=office or runtime.office,
            person_id=UUID(str(person)) if person else None,
            street=street,
        )
        return {"Authorization": f"Bearer {token}"}

    return make


def sql(database_url: str) -> Callable[..., Awaitable[list[asyncpg.Record]]]:
    """Runs a query on a connection of its own, outside the service's pool."""

    async def run(query: str, *args: Any) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(database_url)
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()

    return run


def office_today() -> date:
    """Today as an office in the default zone (`WUSHE_TIMEZONE`) counts it, as a period's days
    are: the machine's own date is UTC's, a day behind Beijing from 16:00 UTC."""
    zone = ZoneInfo(ServiceSettings.model_fields["timezone"].default)
    return datetime.now(zone).date()


class Counting:
    """A connection that counts the statements sent through it: a query's cost in round trips,
    which a test can hold fixed however many rows a page shows."""

    def __init__(self, db: asyncpg.Connection) -> None:
        self.db, self.statements = db, 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.db, name)
        if name not in ("fetch", "fetchrow", "fetchval", "execute", "executemany"):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.statements += 1
            return found(*args, **kwargs)

        return counted


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = ""
        self.limits: dict[tuple[str, str], int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.form = named.get("id") or ""
        elif tag in ("input", "textarea") and named.get("maxlength") and named.get("name"):
            self.limits[self.form, str(named["name"])] = int(str(named["maxlength"]))


def input_limits(html: str) -> dict[tuple[str, str], int]:
    """The maxlength of each text box of a page, by (its form's id, or "", and its name): to
    check against the API's caps, which a form must not let people type past."""
    inputs = _Inputs()
    inputs.feed(html)
    return inputs.limits


def max_length(model: type[BaseModel], field: str) -> int:
    """The cap the API puts on a text field of a command (optional or not)."""
    schema = model.model_json_schema()["properties"][field]
    [cap] = [s["maxLength"] for s in [schema, *schema.get("anyOf", [])] if "maxLength" in s]
    return int(cap)

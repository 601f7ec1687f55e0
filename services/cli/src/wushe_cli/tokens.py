"""The office's tokens table, for the commands that make and read tokens (`wushe token`, the
demo's people under `wushe up`), with the rules of 账号管理 (`wushe_service.accounts`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.database import connect, create_engine
from wushe_events.errors import InvalidReference
from wushe_events.migrate import upgrade
from wushe_service import accounts, auth
from wushe_volunteers.api.accounts import serving_volunteer

# Where the people tokens act for are registered and the office's streets are known, as the
# accounts API reads them: the volunteers service's schema (its default name, as under
# `wushe up` and in docker-compose.yml).
REGISTER = "volunteers"


async def with_tokens(database_url: str, action: Any) -> Any:
    """Run `action(engine)` on the auth schema, migrated first (the CLI may run before any
    service has started)."""
    engine = create_engine(database_url, auth.SCHEMA)
    try:
        await upgrade(engine, auth.SCHEMA, [auth.MIGRATIONS], event_store=False)
        return await action(engine)
    finally:
        await engine.dispose()


@asynccontextmanager
async def register(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection that reads the volunteers service's register and streets."""
    db = await connect(database_url, REGISTER, application="wushe-cli")
    try:
        yield db
    finally:
        await db.close()


async def check(database_url: str, new: accounts.NewAccount, *, new_street: bool) -> None:
    """`accounts.check`, the API's rules, on the office's database. Before the volunteers
    service has first started there, no person is on its register and no street is known:
    only tokens naming neither — the office's first admin — can be made."""
    async with register(database_url) as db:
        try:
            await accounts.check(db, _serving_volunteer, new, new_street=new_street)
        except asyncpg.UndefinedTableError:  # from the streets: the person's is caught below
            raise InvalidReference(
                "street",
                "no community of the office is known yet (the volunteers service has not "
                "started on this database); --new-street makes the token of a street whose "
                "communities are still to be registered",
                "unknown_street",
            ) from None


async def _serving_volunteer(db: asyncpg.Connection, person_id: UUID) -> None:
    try:
        await serving_volunteer(db, person_id)
    except asyncpg.UndefinedTableError:
        raise InvalidReference(
            "person_id",
            f"no volunteer {person_id} is on the register: the volunteers service has not "
            "started on this database yet — start the office, register the person, then make "
            "their token",
            "unknown_person",
        ) from None


async def listed(database_url: str, office: str) -> list[dict[str, Any]]:
    """The office's tokens as the accounts API lists them (`accounts.accounts`)."""

    async def read(engine: Any) -> list[dict[str, Any]]:
        async with register(database_url) as db:
            return await accounts.accounts(db, engine, office)

    rows: list[dict[str, Any]] = await with_tokens(database_url, read)
    return rows

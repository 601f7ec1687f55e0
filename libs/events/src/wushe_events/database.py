"""Connections to PostgreSQL, one schema per service.

Two ways in, for two jobs: SQLAlchemy async engines (alembic migrations, occasional queries in
SQLAlchemy Core) and asyncpg pools (the event store, projections and service tables — the paths
that run per command or per event). A SQLAlchemy checkout costs about four times the CPU of an
asyncpg one, which measured about a fifth of an append's time (bench/README.md).
"""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """`postgresql://…` (what operators write) → `postgresql+asyncpg://…` (for SQLAlchemy)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+asyncpg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string()}")


def plain_url(url: str) -> str:
    """The URL as asyncpg reads it (`postgresql://…`, unix sockets as `?host=/dir`)."""
    return async_url(url).replace("postgresql+asyncpg://", "postgresql://", 1)


def server_settings(schema: str, application: str) -> dict[str, str]:
    return {
        "search_path": schema,
        "application_name": application[:63],
        # A forgotten open transaction holds back the relay's horizon; cut it short.
        "idle_in_transaction_session_timeout": "60000",
    }


def create_engine(
    url: str,
    schema: str,
    *,
    application: str = "wushe",
    pool_size: int = 5,
) -> AsyncEngine:
    """An engine whose connections see `schema` first (`search_path`)."""
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args={"server_settings": server_settings(schema, application)},
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Nothing to undo on release: asyncpg has already rolled back an unfinished transaction
    and dropped listeners; sessions set nothing else (`SET LOCAL` only), so the default
    reset's extra round trip is saved."""


async def create_pool(
    url: str,
    schema: str,
    *,
    application: str = "wushe",
    size: int = 10,
    **options: Any,
) -> asyncpg.Pool:
    """An asyncpg pool whose connections see `schema` first (`search_path`)."""
    pool = await asyncpg.create_pool(
        plain_url(url),
        min_size=1,
        max_size=size,
        reset=_keep_session,
        server_settings=server_settings(schema, application),
        **options,
    )
    assert pool is not None
    return pool


async def connect(url: str, schema: str, *, application: str = "wushe") -> asyncpg.Connection:
    """A connection of its own (not pooled), e.g. to hold a session lock or to LISTEN."""
    return await asyncpg.connect(
        plain_url(url), server_settings=server_settings(schema, application)
    )

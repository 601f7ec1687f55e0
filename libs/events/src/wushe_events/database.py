"""SQLAlchemy async engines on asyncpg, one schema per service."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """`postgresql://…` (what operators write) → `postgresql+asyncpg://…` (what we drive)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+asyncpg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string()}")


def create_engine(
    url: str,
    schema: str,
    *,
    application: str = "wushe",
    pool_size: int = 10,
) -> AsyncEngine:
    """An engine whose connections see `schema` first (`search_path`)."""
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args={
            "server_settings": {
                "search_path": schema,
                "application_name": application[:63],
                # A forgotten open transaction holds back the relay's horizon; cut it short.
                "idle_in_transaction_session_timeout": "60000",
            },
        },
    )

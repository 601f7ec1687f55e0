"""Bring a service's schema up to date with alembic: the event store's branch plus its own.

Each service owns one schema; `search_path` points its connections there, so that the same
migrations (and the same unqualified table names) serve every service.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

EVENT_STORE_MIGRATIONS = "wushe_events:migrations/versions"


def _location(spec: str) -> str:
    package, _, path = spec.partition(":")
    return str(files(package).joinpath(path))


def _upgrade(connection: Connection, schema: str, locations: Sequence[str]) -> None:
    # One migrator at a time per schema, even when several replicas start together.
    connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"wushe-migrate:{schema}"}
    )
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    connection.execute(text(f'SET LOCAL search_path TO "{schema}"'))
    config = Config()
    config.set_main_option("script_location", _location("wushe_events:migrations"))
    config.set_main_option("version_locations", " ".join(_location(s) for s in locations))
    config.set_main_option("path_separator", "space")
    config.attributes["connection"] = connection
    config.attributes["schema"] = schema
    command.upgrade(config, "heads")


async def upgrade(
    engine: AsyncEngine,
    schema: str,
    locations: Sequence[str] = (),
    *,
    event_store: bool = True,
) -> None:
    """Apply the event store's migrations (unless told not to) and those in `locations`
    ("package:path" folders of alembic revisions)."""
    wanted = [EVENT_STORE_MIGRATIONS, *locations] if event_store else list(locations)
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, schema, wanted)

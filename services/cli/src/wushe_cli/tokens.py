"""The office's tokens table, for the commands that make and read tokens (`wushe token`, the
demo's people under `wushe up`)."""

from __future__ import annotations

from typing import Any

from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_service import auth


async def with_tokens(database_url: str, action: Any) -> Any:
    """Run `action(engine)` on the auth schema, migrated first (the CLI may run before any
    service has started)."""
    engine = create_engine(database_url, auth.SCHEMA)
    try:
        await upgrade(engine, auth.SCHEMA, [auth.MIGRATIONS], event_store=False)
        return await action(engine)
    finally:
        await engine.dispose()

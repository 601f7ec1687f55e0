"""A service whose lifespan has ended leaves nothing behind in its process: no task still
pending, its NATS connection closed, its database connections gone, and the app and its
runtime free to be collected (tests start hundreds of apps in one process)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import asyncpg

from wushe_events.testing import wait_until
from wushe_service import testing
from wushe_service.app import service_app
from wushe_service.runtime import Runtime
from wushe_service.settings import ServiceSettings

SERVICE = "freed"


async def test_a_stopped_service_leaves_no_task_connection_or_app_behind(
    database_url, nats_url, office
):
    before = asyncio.all_tasks()
    runtime = Runtime(
        SERVICE, testing.settings_for(ServiceSettings, database_url, nats_url, office)
    )
    app = service_app(runtime, [], title="Freed", description="", asyncapi=lambda: {})
    async with testing.serving(app) as client:
        assert (await client.get("/healthz")).json()["service"] == SERVICE
        assert (await client.get("/me")).status_code == 200
        assert (await client.get("/asyncapi")).json() == {}
        nats = runtime.nats
        started = asyncio.all_tasks() - before
        assert started, "the service runs tasks of its own while it serves"

    assert [task.get_name() for task in started if not task.done()] == []
    assert nats.is_closed
    await wait_until(
        lambda: no_connections_of(database_url, f"wushe-{SERVICE}"),
        message="no connection of the service left",
    )
    freed = weakref.ref(runtime), weakref.ref(app)
    del runtime, app, client, nats, started
    gc.collect()
    assert [ref() for ref in freed] == [None, None], "the stopped app is kept alive"


async def no_connections_of(database_url: str, application: str) -> bool:
    """Whether no connection of `application` is open to the database any more."""
    admin = await asyncpg.connect(database_url)
    try:
        count = await admin.fetchval(
            """SELECT count(*) FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = $1""",
            application,
        )
    finally:
        await admin.close()
    return count == 0

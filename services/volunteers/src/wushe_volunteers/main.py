"""Composition root of the volunteers service (an app factory for uvicorn)."""

from fastapi import FastAPI

from wushe_events import asyncapi
from wushe_service.app import service_app
from wushe_service.personal_data import MIGRATIONS as PERSONAL_DATA
from wushe_service.runtime import Runtime
from wushe_volunteers import api, bus, notes, store
from wushe_volunteers.commands.application_expiry import keep_applications
from wushe_volunteers.settings import VolunteersSettings

SERVICE = "volunteers"
MIGRATIONS = "wushe_volunteers:migrations/versions"


def create_app(settings: VolunteersSettings | None = None) -> FastAPI:
    settings = settings or VolunteersSettings()
    vault = settings.vault()  # exits when WUSHE_OFFICE_KEY is missing

    async def seal_plain_notes(runtime: Runtime) -> None:
        async with runtime.store.connection() as db:
            await notes.seal_plain_notes(vault, db)

    runtime = Runtime(
        SERVICE,
        settings,
        migrations=[PERSONAL_DATA, MIGRATIONS],
        consumers=bus.consumers,
        hooks=[store.project],
        setup=[
            vault.check_office_key,
            vault.prepare_search,
            seal_plain_notes,
            bus.retire_consumers,
        ],
        background=[keep_applications],
    )
    app = service_app(
        runtime,
        api.routers,
        title="Wushe volunteers",
        description="Volunteers, teams, pairings, sites, activities and service hours.",
        asyncapi=lambda: asyncapi.document({"volunteers"}),
    )
    app.state.vault = vault
    app.mount("/static/workbench", api.workbench.static, name="workbench")
    return app

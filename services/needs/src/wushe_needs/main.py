"""Composition root of the needs service (an app factory for uvicorn)."""

from fastapi import FastAPI

from wushe_events import asyncapi
from wushe_needs import api, bus, store
from wushe_needs.commands.wishes import keep_wishes
from wushe_needs.settings import NeedsSettings
from wushe_service.app import service_app
from wushe_service.personal_data import MIGRATIONS as PERSONAL_DATA
from wushe_service.runtime import Runtime

SERVICE = "needs"
MIGRATIONS = "wushe_needs:migrations/versions"


def create_app(settings: NeedsSettings | None = None) -> FastAPI:
    settings = settings or NeedsSettings()
    vault = settings.vault()  # exits when WUSHE_OFFICE_KEY is missing
    runtime = Runtime(
        SERVICE,
        settings,
        migrations=[PERSONAL_DATA, MIGRATIONS],
        consumers=bus.consumers,
        hooks=[store.project],
        setup=[vault.check_office_key, vault.prepare_search],
        background=[keep_wishes],
    )
    app = service_app(
        runtime,
        api.routers,
        title="Wushe needs",
        description="Residents, needs surveys, the community needs list and micro-wishes.",
        asyncapi=lambda: asyncapi.document({"needs"}),
    )
    app.state.vault = vault
    app.mount("/static/workbench", api.workbench.static, name="workbench")
    return app

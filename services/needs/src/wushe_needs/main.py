"""Composition root of the needs service (an app factory for uvicorn)."""

from fastapi import FastAPI

from wushe_needs import api
from wushe_needs.settings import NeedsSettings
from wushe_service.app import service_app
from wushe_service.personal_data import MIGRATIONS, Vault, parse_office_key
from wushe_service.runtime import Runtime

SERVICE = "needs"


def create_app(settings: NeedsSettings | None = None) -> FastAPI:
    settings = settings or NeedsSettings()
    if settings.office_key is None:
        raise SystemExit("WUSHE_OFFICE_KEY is required: it protects residents' personal data")
    runtime = Runtime(SERVICE, settings, migrations=[MIGRATIONS])
    app = service_app(
        runtime,
        [api.router],
        title="Wushe needs",
        description="Residents, needs surveys, the community needs list and micro-wishes.",
    )
    app.state.vault = Vault(parse_office_key(settings.office_key.get_secret_value()))
    return app

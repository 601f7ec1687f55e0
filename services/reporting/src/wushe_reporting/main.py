"""Composition root of the reporting service (an app factory for uvicorn)."""

from fastapi import FastAPI

from wushe_events import asyncapi
from wushe_reporting import api, bus, snapshots
from wushe_reporting.projections import MIGRATIONS
from wushe_reporting.settings import ReportingSettings
from wushe_service.app import service_app
from wushe_service.runtime import Runtime

SERVICE = "reporting"


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = Runtime(
        SERVICE,
        settings,
        migrations=[MIGRATIONS],
        consumers=bus.consumers,
        setup=[bus.provision_hub],
        background=[bus.rebuild_when_outdated, snapshots.keep_month_closes],
    )
    app = service_app(
        runtime,
        [api.router],
        title="Wushe reporting",
        description="Cross-office dashboards, figures and exports built from the events.",
        asyncapi=lambda: asyncapi.document(action="receive"),
    )
    app.mount("/static/dashboard", api.static, name="dashboard")
    return app

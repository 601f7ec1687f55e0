"""Composition root of the funds service (an app factory for uvicorn)."""

from fastapi import FastAPI

from wushe_events import asyncapi
from wushe_funds import api, bus, ledger_watch, store
from wushe_funds.settings import FundsSettings
from wushe_service.app import service_app
from wushe_service.runtime import Runtime

SERVICE = "funds"
MIGRATIONS = "wushe_funds:migrations/versions"


async def fill_projects(runtime: Runtime) -> None:
    async with runtime.store.connection() as db:
        await store.projects.fill_projects(db)


def create_app(settings: FundsSettings | None = None) -> FastAPI:
    settings = settings or FundsSettings()
    runtime = Runtime(
        SERVICE,
        settings,
        migrations=[MIGRATIONS],
        consumers=bus.consumers,
        hooks=[store.hook.project],
        setup=[fill_projects],
        background=[ledger_watch.keep_ledgers_verified],
    )
    app = service_app(
        runtime,
        api.routers,
        title="Wushe funds",
        description="Community charity funds, donations and micro-venture grants (微创投).",
        asyncapi=lambda: asyncapi.document({"funds"}),
    )
    app.mount("/static/workbench", api.workbench.static, name="workbench")
    return app

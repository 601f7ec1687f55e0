"""Helpers for testing a service in-process against the real NATS and PostgreSQL fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

ADMIN_TOKEN = "wst_test-admin-token-0123456789abcdef0123456789"


@asynccontextmanager
async def serving(app: FastAPI, token: str = ADMIN_TOKEN) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and give a client that sends `token`."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            yield client

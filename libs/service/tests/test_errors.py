"""The service's error answers for what slipped past validation."""

import asyncpg
import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from wushe_events.catalogue.base import Slug
from wushe_service.app import _errors


async def test_a_value_postgresql_cannot_store_is_a_422_not_a_500(database_url):
    app = FastAPI()
    _errors(app)

    @app.post("/notes")
    async def note(body: dict[str, str]) -> dict[str, str]:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute("SELECT $1::text", body["text"])
        finally:
            await connection.close()
        return body

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.post("/notes", json={"text": "fine"})).status_code == 200
        response = await client.post("/notes", json={"text": "a\u0000b"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body"
    assert "cannot be stored" in response.json()["detail"]


async def test_a_slug_that_does_not_match_is_explained_in_plain_words():
    app = FastAPI()
    _errors(app)

    class Resolution(BaseModel):
        reason: Slug

    @app.post("/resolve")
    async def resolve(body: Resolution) -> Resolution:
        return body

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.post("/resolve", json={"reason": "moved-away"})).status_code == 200
        response = await client.post("/resolve", json={"reason": "Moved Away"})
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "reason"
    assert "lowercase letters a-z, digits 0-9 and hyphens" in error["message"]
    assert "e.g. service-provided" in error["message"]
    assert response.json()["detail"] == f"reason: {error['message']}"
    assert "^[a-z0-9]" not in response.text  # no regex
    assert "Moved Away" not in response.text  # nor the input

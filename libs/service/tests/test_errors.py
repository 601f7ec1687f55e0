"""The service's error answers for what slipped past validation."""

import asyncpg
import httpx
from fastapi import FastAPI

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

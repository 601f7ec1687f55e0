"""A cursor no list gave out is a 422 in the API's one error shape, naming `query.cursor`."""

from typing import Any

import httpx
from fastapi import FastAPI

from wushe_service import paging
from wushe_service.app import _errors


async def test_a_forged_cursor_is_a_422_with_errors_naming_the_cursor():
    app = FastAPI()
    _errors(app)

    @app.get("/wishes")
    async def wishes(cursor: paging.Cursor = None) -> dict[str, Any]:
        return {"after": paging.decode(cursor, int)}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/wishes?cursor=forged")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == ("query.cursor", "invalid_cursor")
    assert "forged" not in response.text

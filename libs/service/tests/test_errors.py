"""The service's error answers for what slipped past validation."""

from typing import Any

import asyncpg
import httpx
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel

from wushe_events.catalogue.base import Slug
from wushe_events.errors import RuleBroken
from wushe_service.app import _errors
from wushe_service.strict_query import only_known_query_parameters


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


async def test_a_query_parameter_the_route_does_not_take_is_a_422_naming_it():
    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/wishes")
    async def wishes(community_id: str | None = None, limit: int = 50) -> dict[str, Any]:
        return {"community_id": community_id}

    @app.get("/", include_in_schema=False)
    async def page() -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        filtered = await client.get("/wishes?community_id=lanjiang&limit=5")
        mistaken = await client.get("/wishes?community=lanjiang&limit=5")
        unlisted = await client.get("/?lang=en")
    assert filtered.json() == {"community_id": "lanjiang"}
    assert mistaken.status_code == 422
    [error] = mistaken.json()["errors"]
    assert error["field"] == "query.community"
    assert "community_id, limit" in error["message"]
    assert "lanjiang" not in mistaken.text
    assert unlisted.status_code == 200


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


async def test_validation_messages_are_in_plain_words_and_never_quote_the_input():
    from datetime import datetime
    from uuid import UUID

    from pydantic import AwareDatetime, Field, field_validator

    class Visit(BaseModel):
        resident_id: UUID
        at: AwareDatetime
        notes: str = Field(max_length=5)
        community_id: Slug

        @field_validator("community_id")
        @classmethod
        def _known(cls, value: str) -> str:
            raise ValueError("no such community")

    app = FastAPI()
    _errors(app)

    @app.post("/visits")
    async def visit(body: Visit) -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/visits",
            json={
                "resident_id": "刘秀英",
                "at": datetime(2026, 12, 5, 9, 30).isoformat(),
                "notes": "一二三四五六",
                "community_id": "fengshan",
            },
        )
        missing = await client.post("/visits", json={})
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "UUID" in messages["resident_id"]
    assert "+08:00" in messages["at"]
    assert messages["notes"] == "at most 5 characters"
    assert messages["community_id"] == "no such community"
    assert "刘" not in response.text
    assert {e["message"] for e in missing.json()["errors"]} == {"required"}


async def test_a_page_refused_for_want_of_a_token_says_so_as_a_page():
    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    def token(authorization: str | None = Header(None)) -> str:
        if authorization is None:
            raise HTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
        if authorization != "Bearer coordinator":
            raise HTTPException(403, "role volunteer may not do this")
        return authorization

    @app.get("/certificate", dependencies=[Depends(token)])
    async def certificate(format: str | None = None) -> dict[str, str]:
        return {"format": format or "json"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        browser = {"Accept": "text/html"}
        anonymous = await client.get("/certificate", headers=browser)
        volunteer = await client.get(
            "/certificate?format=html", headers={"Authorization": "Bearer volunteer"}
        )
        program = await client.get("/certificate")
        shown = await client.get(
            "/certificate?format=html", headers={"Authorization": "Bearer coordinator"}
        )
    assert (anonymous.status_code, anonymous.headers["www-authenticate"]) == (401, "Bearer")
    assert "需要登录" in anonymous.text
    assert "令牌" in anonymous.text
    assert anonymous.headers["content-type"].startswith("text/html")
    assert volunteer.status_code == 403
    assert "无权查看" in volunteer.text
    assert "volunteer may not" not in volunteer.text
    assert program.status_code == 401
    assert program.json() == {"detail": "missing bearer token"}
    assert shown.json() == {"format": "html"}


async def test_a_broken_rules_details_add_to_its_409_never_replacing_detail_or_rule():
    app = FastAPI()
    _errors(app)

    @app.post("/residents")
    async def register() -> None:
        raise RuleBroken("resident_exists", "already registered", {"duplicate_of": "r-1"})

    @app.post("/wishes")
    async def claim() -> None:
        raise RuleBroken("wish_claimed", "claimed already", {"rule": "other", "detail": "x"})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        detailed = await client.post("/residents")
        shielded = await client.post("/wishes")
    assert detailed.status_code == 409
    assert detailed.json() == {
        "detail": "already registered",
        "rule": "resident_exists",
        "duplicate_of": "r-1",
    }
    assert shielded.json() == {"detail": "claimed already", "rule": "wish_claimed"}


async def test_a_malformed_id_date_or_number_in_a_pages_address_is_worded_in_chinese():
    from datetime import date
    from uuid import UUID

    from fastapi import Query

    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/funds/{fund_id}/ledger")
    async def ledger(
        fund_id: UUID,
        since: date | None = None,
        limit: int = Query(50, ge=1, le=200),
        format: str | None = None,
    ) -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get(
            "/funds/not-an-id/ledger?since=2026-13-01&limit=0", headers={"Accept": "text/html"}
        )
        program = await client.get("/funds/not-an-id/ledger?since=2026-13-01&limit=0")
        too_many = await client.get(f"/funds/{UUID(int=1)}/ledger?limit=500&format=html")
    assert page.status_code == 422
    assert "基金编号（<code>fund_id</code>）：应为系统给出的编号（UUID" in page.text
    assert "<code>since</code>：应为日期，如 2026-12-05" in page.text
    assert "每页条数（<code>limit</code>）：须不小于 1" in page.text
    assert "须不大于 200" in too_many.text
    for english in ("must be", "Input should", "not-an-id", "2026-13-01"):
        assert english not in page.text
    # The JSON answer keeps its English words and its codes.
    assert [e["type"] for e in program.json()["errors"]] == [
        "uuid_parsing",
        "date_from_datetime_parsing",
        "greater_than_equal",
    ]
    assert "must be an id" in program.json()["errors"][0]["message"]


async def test_a_bad_cursor_or_reference_in_a_pages_address_is_worded_in_chinese():
    from wushe_events.errors import InvalidReference
    from wushe_service import paging

    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/public/activities")
    async def board(
        need_category: str | None = None,
        cursor: paging.Cursor = None,
        format: str | None = None,
    ) -> dict[str, str]:
        paging.decode(cursor, int)
        if need_category is not None:
            raise InvalidReference("need_category", "not a known need category; accepted: …")
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        browser = {"Accept": "text/html"}
        cursor = await client.get("/public/activities?cursor=forged", headers=browser)
        reference = await client.get("/public/activities?need_category=x&format=html")
        program_cursor = await client.get("/public/activities?cursor=forged")
        program_reference = await client.get("/public/activities?need_category=x")
    assert (cursor.status_code, reference.status_code) == (422, 422)
    assert cursor.headers["content-type"].startswith("text/html")
    assert "翻页" in cursor.text
    assert "not a cursor" not in cursor.text
    assert "forged" not in cursor.text
    assert reference.headers["content-type"].startswith("text/html")
    assert "请检查网址" in reference.text
    assert "not a known" not in reference.text
    # The JSON answers keep their English words and their shape.
    assert program_cursor.json() == {
        "detail": "cursor: not a cursor this list gave out",
        "errors": [
            {
                "field": "query.cursor",
                "message": "not a cursor this list gave out",
                "type": "invalid_cursor",
            }
        ],
    }
    assert program_reference.json()["errors"] == [
        {
            "field": "need_category",
            "message": "not a known need category; accepted: …",
            "type": "invalid_reference",
        }
    ]


async def test_a_pages_error_names_each_parameter_as_its_reader_says_it():
    from typing import Literal
    from uuid import UUID

    from fastapi import Query

    from wushe_service import paging

    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/public/wishes")
    async def board(
        community_id: UUID | None = None,
        state: Literal["posted", "claimed"] | None = None,
        limit: int = Query(50, ge=1, le=200),
        cursor: paging.Cursor = None,
        format: str | None = None,
    ) -> dict[str, str]:
        paging.decode(cursor, int)
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        invalid = await client.get("/public/wishes?community_id=x&state=gone&limit=0&format=html")
        unknown = await client.get("/public/wishes?colour=red&format=html")
        forged = await client.get("/public/wishes?cursor=forged&format=html")
    assert "社区（<code>community_id</code>）：" in invalid.text
    assert "状态（<code>state</code>）：" in invalid.text
    assert "每页条数（<code>limit</code>）：" in invalid.text
    assert "<code>colour</code>：此页面不接受这个条件" in unknown.text  # no label: as typed
    assert "翻页位置（<code>cursor</code>）：" in forged.text


async def test_a_pages_address_that_does_not_match_a_known_pattern_is_worded_in_chinese():
    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/teams")
    async def teams(kind: Slug | None = None, format: str | None = None) -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/teams?kind=Big%20Team&format=html")
        program = await client.get("/teams?kind=Big%20Team")
    assert page.status_code == 422
    assert "<code>kind</code>：只能用小写字母 a-z、数字 0-9 和连字符" in page.text
    assert "must be" not in page.text
    assert "Big Team" not in page.text
    assert "lowercase letters a-z" in program.json()["errors"][0]["message"]

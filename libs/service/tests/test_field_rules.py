"""A rule checked across a model's fields names the field to fill in: in the JSON 422, nested
where the model is, and on an error page, under that field's label."""

from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, model_validator

from wushe_service.app import _errors
from wushe_service.field_rules import broken


class Consent(BaseModel):
    given_by: str | None = None
    guardian: str | None = None

    @model_validator(mode="after")
    def _someone_gave_it(self) -> "Consent":
        if self.given_by is None and self.guardian is None:
            raise broken("given_by", "consent_giver_required", "required unless guardian is given")
        return self


class Register(BaseModel):
    consent: Consent


class Board(BaseModel):
    community_id: str | None = None
    street: str | None = None
    format: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> "Board":
        if self.community_id is None and self.street is None:
            raise broken("community_id", "place_required", "give community_id or street")
        return self


def app() -> FastAPI:
    app = FastAPI()
    _errors(app)

    @app.post("/residents")
    async def register(body: Register) -> dict[str, Any]:
        return body.model_dump()

    @app.get("/board")
    async def board(query: Annotated[Board, Query()]) -> dict[str, Any]:
        return query.model_dump()

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_nested_models_rule_names_its_field_under_the_model(client):
    response = await client.post("/residents", json={"consent": {}})

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error == {
        "field": "consent.given_by",
        "message": "required unless guardian is given",
        "type": "consent_giver_required",
    }
    assert response.json()["detail"] == "consent.given_by: required unless guardian is given"


async def test_an_error_page_shows_the_named_fields_label(client):
    response = await client.get("/board?format=html")

    assert response.status_code == 422
    assert "社区（<code>community_id</code>）" in response.text
    assert "give community_id or street" in response.text

"""The OpenAPI document describes the error answers a route can give, with the bodies the
service really sends: a client generated from it expects them."""

import json
from uuid import uuid4

import pytest
from jsonschema import Draft202012Validator

STRANGER = {"Authorization": ""}
BIG = {"Content-Type": "application/json", "Content-Length": str(2 * 1024 * 1024)}


@pytest.fixture
async def document(needs):
    answer = await needs.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def refs(node):
    if isinstance(node, dict):
        yield from ([node["$ref"]] if "$ref" in node else [])
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def schema_of(document, path, method, status):
    content = document["paths"][path][method]["responses"][status]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


def matches(document, path, method, answer):
    schema = schema_of(document, path, method, str(answer.status_code))
    errors = list(Draft202012Validator(schema).iter_errors(answer.json()))
    assert not errors, [e.message for e in errors]


async def test_every_reference_of_the_document_is_to_a_schema_it_holds(document):
    schemas = document["components"]["schemas"]
    missing = {r for r in refs(document) if r.removeprefix("#/components/schemas/") not in schemas}
    assert not missing
    assert "HTTPValidationError" not in json.dumps(document)  # a 422 body no service sends


async def test_every_operation_documents_its_unexpected_error_and_its_422(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"422", "500"} <= set(operation["responses"]), (method, path)


async def test_a_route_asking_for_a_token_documents_401_and_403_and_a_public_one_does_not(
    document,
):
    assert {"401", "403"} <= set(document["paths"]["/residents"]["post"]["responses"])
    assert "401" not in document["paths"]["/healthz"]["get"]["responses"]


async def test_a_change_documents_409_and_413_and_a_path_naming_something_404(document):
    created = document["paths"]["/residents"]["post"]["responses"]
    assert {"409", "413"} <= set(created)
    assert "409" not in document["paths"]["/residents"]["get"]["responses"]
    assert "404" in document["paths"]["/residents/{resident_id}"]["get"]["responses"]


async def test_the_answers_sent_match_the_documented_bodies(needs, document, community):
    await community()
    again = {"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"}
    answers = {
        401: await needs.post("/residents", json={}, headers=STRANGER),
        404: await needs.get(f"/residents/{uuid4()}"),
        409: await needs.post("/communities", json=again),
        413: await needs.post("/residents", content=b"{}", headers=BIG),
        422: await needs.post("/residents", json={"community_id": "fengshan"}),
    }
    for status, answer in answers.items():
        assert answer.status_code == status, answer.text
    matches(document, "/residents", "post", answers[401])
    matches(document, "/residents/{resident_id}", "get", answers[404])
    matches(document, "/communities", "post", answers[409])
    matches(document, "/residents", "post", answers[413])
    matches(document, "/residents", "post", answers[422])

"""The error answers of every route in the OpenAPI document, from one pass over it (`documented`):
what a client generated from it must expect — 401 and 403 (with its `rule`) where a token is
asked for, 404 where the path names something, 409 where a change can break a rule, 413 where a
body is sent, 422 everywhere (an unknown query parameter), 500 — each with the body the handlers
write (`app._errors`), where FastAPI described only 2xx and a 422 body no service sends."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from wushe_service import error_pages, forbidden
from wushe_service.strict_query import OTHERS_IGNORED

_REF = "#/components/schemas/"
_TEXT = {"type": "string"}
SCHEMAS: dict[str, dict[str, Any]] = {
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "description": "What is wrong with one field (the input itself is never echoed back)",
        "properties": {
            "field": {**_TEXT, "description": "the field, dotted: `groups.0`, `query.limit`"},
            "message": {**_TEXT, "description": "what it must be, in plain words"},
            "type": {**_TEXT, "description": "a code: `missing`, `body_too_large`, …"},
        },
        "required": ["field", "message", "type"],
    },
    "Invalid": {
        "title": "Invalid",
        "type": "object",
        "description": "The request was refused for what it says (422) or its size (413); "
        "nothing changed",
        "properties": {
            "detail": {**_TEXT, "description": "every error, `field: message; …`"},
            "errors": {"type": "array", "items": {"$ref": f"{_REF}FieldError"}},
        },
        "required": ["detail", "errors"],
    },
    "Refused": {
        "title": "Refused",
        "type": "object",
        "description": "Why the request was refused (401) or what was not found (404)",
        "properties": {"detail": _TEXT},
        "required": ["detail"],
    },
    "Forbidden": {
        "title": "Forbidden",
        "type": "object",
        "description": "The token may not do this (403); nothing changed. `rule` says why, for a "
        "client to word in its own language; some rules add fields of their own (`field`, "
        "`allowed_roles`, `token_street`, `street`…)",
        "properties": {
            "detail": {**_TEXT, "description": "why, in English"},
            "rule": {
                **_TEXT,
                "description": "the rule's code: "
                + "; ".join(f"`{code}` {words}" for code, words in forbidden.RULES.items()),
            },
            "allowed_roles": {
                "type": "array",
                "items": _TEXT,
                "description": "`role_not_allowed`: the roles that may (admin always may)",
            },
        },
        "required": ["detail", "rule"],
        "additionalProperties": True,
    },
    "RuleBroken": {
        "title": "RuleBroken",
        "type": "object",
        "description": "A rule of the office's work refused the change, or another change came "
        "first (`concurrent_change`); nothing changed. Some rules add fields of their own",
        "properties": {
            "detail": _TEXT,
            "rule": {**_TEXT, "description": "the rule's code, e.g. `wish_not_claimable`"},
        },
        "required": ["detail", "rule"],
        "additionalProperties": True,
    },
    "ServerError": {
        "title": "ServerError",
        "type": "object",
        "description": "An unexpected error: nothing of it is said, only the request's id",
        "properties": {
            "detail": _TEXT,
            "correlation_id": {**_TEXT, "description": "as X-Correlation-Id; quote it"},
        },
        "required": ["detail", "correlation_id"],
    },
}
ANSWERS: dict[str, tuple[str, str]] = {
    "401": ("Refused", "No token, or one that is not valid (revoked, expired, unknown)"),
    "403": ("Forbidden", "The token's role, office, person or street may not do this"),
    "404": ("Refused", "What the path names does not exist (in this office)"),
    "409": ("RuleBroken", "A rule refused the change, or a concurrent change came first"),
    "413": ("Invalid", "The body is larger than the service reads (WUSHE_MAX_BODY_BYTES)"),
    "422": ("Invalid", "A field, parameter or reference is wrong; each is named"),
    "500": ("ServerError", "An unexpected error; quote the correlation id"),
}
_FASTAPI_422 = f"{_REF}HTTPValidationError"
_CHANGES = ("post", "put", "patch", "delete")
_IGNORES_OTHERS = next(iter(OTHERS_IGNORED))
_FOR_PEOPLE = next(iter(error_pages.FOR_PEOPLE))


def documented(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's `openapi`, with the error answers added once to the document FastAPI makes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_error_answers(FastAPI.openapi(app))  # FastAPI keeps it: changed in place
        return app.openapi_schema  # type: ignore[return-value]

    return openapi


def add_error_answers(document: dict[str, Any]) -> None:
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                answers.setdefault(status, {})
                _describe(answers[status], *ANSWERS[status], pages=_pages(answers))
                # A file's errors: a page to a browser, text to a program asking for CSV
                # (`error_pages.wants_text`); a 500 is JSON to all.
                if operation.get(_FOR_PEOPLE) and status != "500":
                    for kind in ("text/html", "text/plain"):
                        answers[status]["content"].setdefault(kind, {"schema": _TEXT})
            operation["responses"] = dict(sorted(answers.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(SCHEMAS)
    text = json.dumps(document)
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'"{_REF}{unused}"' not in text:
            schemas.pop(unused, None)


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["500"]
    if operation.get("security"):
        statuses += ["401", "403"]
    if "{" in path:
        statuses.append("404")
    if method in _CHANGES:
        statuses.append("409")
    if "requestBody" in operation:
        statuses.append("413")
    if "422" in operation["responses"] or not operation.get(_IGNORES_OTHERS):
        statuses.append("422")
    return sorted(statuses)


def _pages(answers: dict[str, Any]) -> bool:
    """Whether the route answers pages (a browser's errors are pages too)."""
    return any("text/html" in (a.get("content") or {}) for s, a in answers.items() if s < "300")


def _describe(answer: dict[str, Any], schema: str, description: str, *, pages: bool) -> None:
    content = answer.setdefault("content", {})
    ours = {"schema": {"$ref": f"{_REF}{schema}"}}
    if content.get("application/json", {}).get("schema", {}).get("$ref") == _FASTAPI_422:
        content["application/json"], answer["description"] = ours, description
    content.setdefault("application/json", ours)  # a route's own answer is kept
    answer.setdefault("description", description)
    if pages:
        content.setdefault("text/html", {"schema": {"type": "string"}})

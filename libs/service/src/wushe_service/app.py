"""The shape every Wushe service shares: FastAPI app, health, readiness, metrics, errors."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import partial
from html import escape
from pathlib import Path
from typing import Annotated, Any
from uuid import uuid4

import asyncpg
import sqlalchemy.exc
import structlog
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, Histogram, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from wushe_events import dead_letters
from wushe_events.catalogue.base import PATTERN_RULES
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_events.store import ConcurrencyError
from wushe_events.trace import tracing
from wushe_service import (
    audit,
    audit_withheld,
    body_limit,
    error_answers,
    error_pages,
    field_rules,
    security_headers,
    server_errors,
    uploads,
)
from wushe_service.auth import Principal, Role, Tokens, require
from wushe_service.forbidden import Forbidden
from wushe_service.idempotency import IdempotencyMiddleware
from wushe_service.runtime import Runtime
from wushe_service.strict_query import only_known_query_parameters

log = structlog.get_logger()
SWAGGER_UI = Path(__file__).parent / "static" / "swagger-ui"
COMMON = Path(__file__).parent / "static" / "common"  # the workbenches' shared script
# The API's docs: vendored Swagger UI, started by a script of its own (no inline script runs).
DOCS = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/swagger-ui/favicon-32x32.png"></head><body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/common/docs.js"></script>
</body></html>"""
# Swagger UI draws its icons as data: URLs, and "Try it out" calls this service.
DOCS_HEADERS = security_headers.headers(
    script_src="'self'", style_src="'self'", img_src="'self' data:", connect_src="'self'"
)
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

REQUESTS = Histogram(
    "wushe_http_request_duration_seconds", "HTTP requests", ["method", "route", "status"]
)
# Read from NATS when scraped, for alerts: a consumer falling behind, dead letters waiting.
PENDING = Gauge(
    "wushe_consumer_pending", "events on the stream not yet applied by the consumer", ["consumer"]
)
DEAD_LETTERS = Gauge(
    "wushe_dead_letters_kept", "dead letters kept, waiting for a fix and a retry", ["consumer"]
)


def service_app(
    runtime: Runtime,
    routers: Sequence[APIRouter],
    *,
    title: str,
    description: str,
    asyncapi: Callable[[], dict[str, Any]] | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        app.state.tokens = Tokens(runtime.engine)
        following = asyncio.create_task(app.state.tokens.follow_revocations(runtime.store))
        try:
            yield
        finally:
            following.cancel()
            await asyncio.gather(following, return_exceptions=True)
            await runtime.stop()

    # Offices run on intranets: the API docs use vendored Swagger UI, not a CDN.
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(only_known_query_parameters)],
    )
    app.mount("/static/swagger-ui", StaticFiles(directory=str(SWAGGER_UI)), name="swagger-ui")
    app.mount("/static/common", StaticFiles(directory=str(COMMON)), name="common")
    app.state.runtime = runtime
    app.state.office = runtime.office
    for router in routers:
        app.include_router(router)
    app.include_router(audit.router)
    if asyncapi is not None:
        app.state.asyncapi = asyncapi
        app.include_router(_asyncapi)
    app.include_router(_operations)
    app.openapi = error_answers.documented(app)  # type: ignore[method-assign]
    _errors(app)
    app.add_middleware(IdempotencyMiddleware, service=runtime.service)
    # Outside the Idempotency-Key middleware, which reads a keyed body before any route does.
    limit = runtime.settings.max_body_bytes
    app.add_middleware(body_limit.BodyLimit, limit=limit, routes=app.router.routes)
    app.add_middleware(server_errors.ServerErrors)  # its 500 gets the headers below
    app.add_middleware(security_headers.SecurityHeaders)  # a replayed answer gets them too
    app.add_middleware(TraceMiddleware)  # replays have correlation ids too
    # Outermost, here rather than in the server that runs the app: every route (a limit per
    # client, the links a page writes) sees the client and scheme the trusted proxies forward.
    proxies = runtime.settings.trusted_proxy_networks()
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    return app


# Module-level routes, each app's runtime read from the request: closures made per app would
# be kept alive by FastAPI's caches of its dependencies' callables (up to 4,096), and every app
# with them — its runtime, its engine, its NATS client — long after it stopped (in the tests,
# hundreds of apps in one process).
_asyncapi = APIRouter(tags=["operations"])
_operations = APIRouter(tags=["operations"])


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


Running = Annotated[Runtime, Depends(_runtime)]


@_asyncapi.get("/asyncapi", summary="The AsyncAPI 3 document of this service's events")
async def asyncapi_document(request: Request) -> dict[str, Any]:
    document: dict[str, Any] = request.app.state.asyncapi()
    return document


@_operations.get("/docs", include_in_schema=False)
async def docs(runtime: Running) -> HTMLResponse:
    title = escape(f"Wushe {runtime.service} API")
    return HTMLResponse(DOCS.replace("{{title}}", title), headers=DOCS_HEADERS)


# Browsers ask every site for its icon: one of the office's, not a 404 in the console of
# every page.
@_operations.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    icon = (COMMON / "favicon.svg").read_bytes()
    cached = {"Cache-Control": "max-age=86400"}
    return Response(icon, media_type="image/svg+xml", headers=cached)


@_operations.get(
    "/me",
    summary="The token's own record: its name, role, office, the person it acts for and the "
    "street it serves (null: the whole office) — for a client to say who is signed in",
)
async def me(who: Annotated[Principal, require(*Role)]) -> Principal:
    return who


@_operations.get("/healthz", summary="The process is up")
async def healthz(runtime: Running) -> dict[str, str]:
    return {"status": "ok", "service": runtime.service, "office": runtime.office}


@_operations.get("/readyz", summary="The database and NATS are reachable")
async def readyz(runtime: Running) -> JSONResponse:
    problems = await runtime.readiness()
    status = 503 if problems else 200
    return JSONResponse({"ready": not problems, "problems": problems}, status_code=status)


@_operations.get(
    "/dead-letters",
    summary="The events this service's consumers gave up on, oldest first (auditors, admins)",
    description="Each with its consumer, event id and type, where it was, its tries and "
    "the reason it failed — never the payload, nor the text 审计查询 withholds (a title, a "
    "summary, a public name): where the reason quotes it, it reads `(withheld)`, and "
    "`withheld` names those fields of the event with their lengths.",
)
async def list_dead_letters(
    _who: Annotated[Principal, require(Role.auditor)], runtime: Running
) -> list[Any]:
    return [
        audit_withheld.dead_letter(letter)
        for consumer in runtime.consumers
        for letter in await dead_letters.read(runtime.js, runtime.office, consumer.spec.name)
    ]


@_operations.post(
    "/dead-letters/retry",
    summary="Apply the dead letters again (after the fix); those that apply are removed",
)
async def retry_dead_letters(
    _who: Annotated[Principal, require()],  # admins only
    runtime: Running,
) -> dict[str, Any]:
    outcomes = [o for consumer in runtime.consumers for o in await consumer.retry()]
    return {
        "applied": [audit_withheld.dead_letter(o.letter) for o in outcomes if o.applied],
        "failing": [
            audit_withheld.dead_letter(o.letter, o.error or "") for o in outcomes if not o.applied
        ],
    }


@_operations.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
async def metrics(runtime: Running) -> PlainTextResponse:
    with contextlib.suppress(Exception):  # NATS away: the other metrics are still served
        await asyncio.wait_for(_consumer_gauges(runtime), timeout=2)
    return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _consumer_gauges(runtime: Runtime) -> None:
    for consumer in runtime.consumers:
        spec = consumer.spec
        info = await runtime.js.consumer_info(spec.stream, spec.name)
        PENDING.labels(spec.name).set(info.num_pending + info.num_ack_pending)
        DEAD_LETTERS.labels(spec.name).set(
            await dead_letters.count(runtime.js, runtime.office, spec.name)
        )


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


_EXAMPLE_TIME = "2026-12-05T09:30:00+08:00 (the office's clocks) or 2026-12-05T01:30:00Z"


def _message(error: Any, rules: Mapping[str, str] = PATTERN_RULES) -> str:
    """Pydantic's message in plain words where it is a programmer's (or quotes the input, which
    may be personal data); for a known pattern, what it allows."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        rule = rules.get(str(ctx.get("pattern")))
        if rule is not None:
            return f"must be {rule}"
    if kind == "missing":
        return "required"
    if kind == "timezone_aware":
        return f"must say its time zone, e.g. {_EXAMPLE_TIME}"
    if kind.startswith("datetime_") and kind != "datetime_type":
        return f"must be a date and time with its zone, e.g. {_EXAMPLE_TIME}"
    if kind in ("uuid_parsing", "uuid_type"):
        return "must be an id as the API gave it (a UUID, 8-4-4-4-12 hexadecimal digits)"
    if kind == "string_too_long":  # a text's cap sits in its type (tests/test_text_caps.py)
        return f"at most {ctx.get('max_length')} characters"
    if kind in ("string_too_short", "too_short") and isinstance(error.get("input"), str):
        return f"at least {ctx.get('min_length')} characters"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _detail(error: Any, rules: Mapping[str, str] = PATTERN_RULES) -> dict[str, str]:
    if error["type"] == "json_invalid":  # its loc is ("body", <character>): say so in words
        at = error["loc"][-1]
        return {
            "field": "body",
            "message": f"not valid JSON (at character {at})",
            "type": "json_invalid",
        }
    message = _message(error, rules)
    field = _field(field_rules.location(error))
    return {"field": field, "message": message, "type": error["type"]}


_Handler = Callable[[Request, Any], Awaitable[Response]]


def _errors(app: FastAPI) -> None:
    def handles(kind: type[Exception]) -> Callable[[_Handler], _Handler]:
        """`app.exception_handler`, answering as asked (`error_pages.as_asked`): an error
        page as text to a program that fetched a CSV export."""

        def register(handler: _Handler) -> _Handler:
            async def answer(request: Request, error: Exception) -> Response:
                return error_pages.as_asked(request, await handler(request, error))

            app.add_exception_handler(kind, answer)
            return handler

        return register

    @handles(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        words = error_pages.words_of(request)
        if error_pages.wants_page(request):
            errors = list(error.errors())
            retry = error_pages.serves_pages(request)
            plain = partial(_message, rules=words.rules)
            return error_pages.invalid_page(422, errors, plain, retry=retry, words=words)
        # The offending input is not echoed back: it may be personal data.
        details = [_detail(e, words.rules) for e in error.errors()]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        return JSONResponse({"detail": message, "errors": details}, status_code=422)

    @handles(StarletteHTTPException)
    async def refused(request: Request, error: StarletteHTTPException) -> Response:
        if isinstance(error, body_limit.BodyTooLarge):
            return body_limit.answer(request, error)
        if isinstance(error, uploads.TooLarge):
            details = [{"field": "file", "message": error.detail, "type": "file_too_large"}]
            body = {"detail": f"file: {error.detail}", "errors": details}
            return JSONResponse(body, status_code=error.status_code)
        if isinstance(error, error_pages.Refusal) and error_pages.wants_page(request):
            # A file for people (an export) has no page to show whole: no 查看全部 link.
            retry = error_pages.serves_pages(request)
            words = error_pages.words_of(request)
            answer = error_pages.page(error.status_code, error.lines, retry=retry, words=words)
            answer.headers.update(error.headers or {})
            return answer
        if isinstance(error, error_pages.Refusal) and error.invalid is not None:
            body = {"detail": error.detail, "errors": error.errors()}
            return JSONResponse(body, status_code=error.status_code, headers=error.headers)
        # A certificate opened in a browser without a token, or with a volunteer's: a page
        # that says so, not JSON (the WWW-Authenticate header stays).
        if error.status_code in (401, 403) and error_pages.wants_page(request):
            return error_pages.refused_page(error.status_code, error.headers)
        return await http_exception_handler(request, error)

    @handles(InvalidReference)
    async def invalid_reference(request: Request, error: InvalidReference) -> Response:
        if error_pages.wants_page(request):
            retry = error_pages.serves_pages(request)
            words = error_pages.words_of(request)
            return error_pages.reference_page(error.field, error.code, retry=retry, words=words)
        details = [{"field": error.field, "message": str(error), "type": error.code}]
        return JSONResponse(
            {"detail": f"{error.field}: {error}", "errors": details}, status_code=422
        )

    @handles(RuleBroken)
    async def rule_broken(request: Request, error: RuleBroken) -> Response:
        if error_pages.wants_page(request):
            return error_pages.message_page(409, str(error))
        # The details add to the answer; they never replace its detail and rule.
        body = {**error.details, "detail": str(error), "rule": error.rule}
        return JSONResponse(body, status_code=409)

    @handles(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        if error_pages.wants_page(request):
            return error_pages.refused_page(403, error.headers)
        return JSONResponse(error.body(), status_code=403, headers=error.headers)

    @handles(ConcurrencyError)
    async def conflict(_request: Request, error: ConcurrencyError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "rule": "concurrent_change"}, status_code=409)

    @handles(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        if error_pages.wants_page(request):
            # A list filtered by something unknown (?community_id=…) can be shown whole; a
            # thing named in the path (/certificates/{code}) cannot.
            filtered = bool(request.url.query.replace("format=html", "").strip("&"))
            listing = filtered and error_pages.serves_pages(request)
            return error_pages.not_found_page(error.what, error.identifier, listing=listing)
        return JSONResponse({"detail": str(error)}, status_code=404)

    # The last line of defence for text that passed validation but that PostgreSQL cannot
    # store (U+0000 in a free text, say): the transaction is rolled back, nothing changed.
    @handles(asyncpg.exceptions.DataError)
    @handles(sqlalchemy.exc.DataError)
    async def unstorable(_request: Request, error: Exception) -> JSONResponse:
        cause: BaseException = error
        if isinstance(error, sqlalchemy.exc.DBAPIError) and error.orig is not None:
            cause = error.orig.__cause__ or error.orig
        kind = type(cause).__name__
        log.warning("unstorable_input", error=kind)  # not the message: it may quote the input
        detail = "body: a value cannot be stored (a NUL character in a text, or out of range)"
        details = [{"field": "body", "message": detail, "type": kind}]
        return JSONResponse({"detail": detail, "errors": details}, status_code=422)


access = structlog.get_logger("wushe.access")


class TraceMiddleware:
    """Gives each request a correlation id (or takes the caller's), times it, and logs it.

    The access log line names the route's template (`/residents/{resident_id}`), never the
    path as sent nor its query string: a mistyped request may carry a phone number or a name
    there (`/residents?phone=…`), and logs keep ids only. (uvicorn's own access log, which
    prints the raw request line, is off: `wushe serve`.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-correlation-id", b"").decode("latin-1")
        # Only id-like values are taken: whatever is here ends up in logs and on the bus.
        correlation_id = incoming if _SAFE_ID.fullmatch(incoming) else str(uuid4())
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append(
                    (b"x-correlation-id", correlation_id.encode())
                )
            await send(message)

        with tracing(correlation_id, f"request:{uuid4()}"):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                elapsed = time.perf_counter() - started
                REQUESTS.labels(scope["method"], route, str(status)).observe(elapsed)
                access.info(
                    "request",
                    method=scope["method"],
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                )

"""One cap on every request's body (`WUSHE_MAX_BODY_BYTES`), enforced while it is read: a
body that says it is larger is refused unread, one sent in chunks is cut off where it passes
the cap — never received whole and measured after. A route that bounds its own body (an
upload, `uploads.bounded`) is left to its own limit and its own answer.

Not FastAPI's `max_body_size`: its limiter runs outside the app's middlewares (its 413 goes out
without `nosniff`, a correlation id or the API's error shape), and it holds a keyed upload to
the app's limit while the Idempotency-Key middleware reads, before its route's is known."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wushe_service import error_pages
from wushe_service.api import wants_html

# A route class's attribute: the route reads its body within a limit of its own.
OWN_LIMIT = "reads_body_within_its_own_limit"


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


class BodyTooLarge(HTTPException):
    """The request's body passed the cap: 413, naming it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"at most {_size(limit)} ({limit} bytes)")
        self.limit = limit


def answer(request: Request, error: BodyTooLarge) -> Response:
    """The project's error body (`detail`, `errors`), or a page for a browser."""
    if wants_html(request, None):
        words = f"提交的内容超过 {_size(error.limit)} 的上限，未作处理：请减少内容后重试。"
        return error_pages.page(413, [("", words)], retry=False)
    details = [{"field": "body", "message": error.detail, "type": "body_too_large"}]
    return JSONResponse({"detail": f"body: {error.detail}", "errors": details}, status_code=413)


class BodyLimit:
    """Refuses a body over `limit` bytes as it comes in, unless its route reads it within a
    limit of its own (`OWN_LIMIT`): `routes` are the app's, looked up only past the cap."""

    def __init__(self, app: ASGIApp, limit: int, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.limit = limit
        self.routes = routes
        self._owners: list[tuple[re.Pattern[str], set[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit and not self._own(scope):
            await answer(Request(scope), BodyTooLarge(self.limit))(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counted(scope, receive), sending)
        except BodyTooLarge as error:
            # Raised where no handler answers it (the Idempotency-Key middleware reading).
            if started:
                raise
            await answer(Request(scope), error)(scope, receive, send)

    def _counted(self, scope: Scope, receive: Receive) -> Receive:
        seen = 0
        own: bool | None = None

        async def counting() -> Message:
            nonlocal seen, own
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                own = self._own(scope) if own is None else own
                if not own:
                    raise BodyTooLarge(self.limit)
            return message

        return counting

    def _own(self, scope: Scope) -> bool:
        if self._owners is None:  # once, on the first body past the cap: all routes are in
            self._owners = [
                (context.path_regex, context.methods or set())
                for context in iter_route_contexts(self.routes)
                if getattr(context.original_route, OWN_LIMIT, False) is True
            ]
        path, method = get_route_path(scope), scope["method"]
        return any(p.match(path) and method in m for p, m in self._owners)

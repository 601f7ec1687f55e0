"""The answer to an error no handler took: a 500 that gives the request's correlation id and
nothing of the error — inside the middlewares that put the correlation id and `nosniff` on
every answer, where Starlette's own 500 (plain text, outermost) had neither — logged once,
with its stack and the types of the error and its causes, never their messages."""

from __future__ import annotations

import traceback

import structlog
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wushe_events import trace
from wushe_service import error_pages
from wushe_service.api import wants_html

log = structlog.get_logger()


def answer(request: Request, correlation_id: str | None) -> Response:
    """The 500 of a request: JSON, or a page for a browser — whatever its method, as a form a
    browser posts (/join) asks for a page too; the error itself stays in the log."""
    if wants_html(request, None):
        words = (
            "服务暂时无法完成此请求，请稍后重试；"
            f"如仍不行，请把错误编号 {correlation_id} 告诉管理员。"
        )
        return error_pages.page(500, [("", words)], retry=False)
    detail = (
        "internal error: the service could not answer this request; quote correlation id "
        f"{correlation_id} to the office's operator"
    )
    return JSONResponse({"detail": detail, "correlation_id": correlation_id}, status_code=500)


def _kinds(error: BaseException) -> str:
    """The error's type and those of its causes — not their messages, which may quote the
    input (a name, an ID number) as pydantic's and PostgreSQL's do."""
    kinds: list[str] = []
    cause: BaseException | None = error
    while cause is not None and len(kinds) < 5:
        kinds.append(type(cause).__qualname__)
        cause = cause.__cause__ or cause.__context__
    return " <- ".join(kinds)


class ServerErrors:
    """Answers an unhandled error as a 500 (`answer`) if nothing was sent yet; else ends the
    answer where it stands (the server closes the connection on a cut answer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:  # the client left mid-body: no one to answer, nothing wrong
            log.info("client_disconnected", method=scope["method"])
        except Exception as error:
            route = getattr(scope.get("route"), "path", "unmatched")
            log.error(
                "unhandled_error",
                method=scope["method"],
                route=route,
                started=started,
                error=_kinds(error),
                stack="".join(traceback.format_tb(error.__traceback__)),
            )
            if not started:
                correlation_id = trace.current().correlation_id
                await answer(Request(scope), correlation_id)(scope, receive, send)

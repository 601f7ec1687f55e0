"""Uploads read no further than their limit: a route of `bounded(limit)` refuses a request
whose body says it is larger, or passes it as it comes in, without reading the rest — not the
whole file received (spooled by the form parser) and then measured."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

MB = 1024 * 1024
# What a multipart form adds to the file: its boundaries, part headers and a field or two.
ENVELOPE = 64 * 1024


def too_large_words(limit: int) -> str:
    return f"超过 {limit // MB} MB 的上限：请分成几个文件导入"


class TooLarge(HTTPException):
    """The upload passed its limit: answered as the file's own check is (422 on `file`,
    `file_too_large`, naming the limit), whether the body said so or was cut off."""

    def __init__(self, limit: int) -> None:
        super().__init__(422, too_large_words(limit))
        self.limit = limit


def bounded(limit: int) -> type[APIRoute]:
    """A route class whose requests carry at most `limit` bytes of file (and its envelope)."""

    class Bounded(APIRoute):
        # Past the cap on every body (body_limit), to this route's own limit and answer.
        reads_body_within_its_own_limit = True

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def read_within(request: Request) -> Response:
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit + ENVELOPE:
                    raise TooLarge(limit)
                receive = _counted(request.receive, limit)
                return await handler(Request(request.scope, receive))

            return read_within

    return Bounded


def _counted(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit + ENVELOPE:
            raise TooLarge(limit)
        return message

    return counting

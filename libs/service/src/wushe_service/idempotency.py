"""`Idempotency-Key` on POST: a create retried after a lost answer is done once.

A form sent twice (a double click, a dropped line, a retry after a timeout) must not register
a resident or post a wish twice. A client that sends `Idempotency-Key: <its own id for this
request>` gets, for 24 hours and from the same token, the first answer of a create (201)
again, marked `Idempotent-Replayed: true`, instead of a second create. The same key with a
different request is a 422; a key whose first request is still under way (or whose answer
was lost in a crash after its commit) is a 409, `idempotency_key_in_use`: nothing is done
twice either way. Other answers (4xx, 5xx, and 200s, which may carry personal data — a
search) are not kept: the key is free again, as nothing was created. A request whose token is
unknown, revoked or of another office goes to the route, which refuses it; keys older than a
day are deleted.

Written as ASGI middleware because it must see the raw request and the whole answer, which
no FastAPI dependency does; the keys live in the `auth` schema beside the tokens they belong
to, under a SHA-256 of the token, with an HMAC of the request keyed by the token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"idempotency-key"
REPLAYED = (b"idempotent-replayed", b"true")
KEPT_HOURS = 24
MAX_KEPT_BODY = 64 * 1024  # a create answers ids; anything bigger is not kept
_KEY = re.compile(r"[\x21-\x7e]{1,200}")


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        key = headers.get(HEADER)
        bearer = headers.get(b"authorization", b"")
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or key is None
            or not bearer.lower().startswith(b"bearer ")
        ):
            await self.app(scope, receive, send)  # no key, or no token: the route answers
            return
        secret = bearer[7:].strip()
        app = scope["app"]
        principal = await app.state.tokens.principal(secret.decode("latin-1"))
        if principal is None or principal.office != app.state.office:
            await self.app(scope, receive, send)  # the route answers 401 or 403
            return
        text = key.decode("latin-1")
        if not _KEY.fullmatch(text):
            await _answer(send, 422, _invalid("1 to 200 visible ASCII characters"))
            return
        body = await _body(receive)
        token = hashlib.sha256(secret).digest()
        # Keyed with the token itself, which is stored nowhere: a body may hold a name and an
        # ID number, and a plain hash of it could be tested against guesses.
        request = hmac.digest(
            secret,
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body]),
            "sha256",
        )
        row = (token, self.service, text, request)
        async with app.state.runtime.store.connection() as db:
            earlier = await _claim(db, row)
        if earlier is not None:
            await _replay(send, earlier, request)
            return
        await self._first(scope, body, send, row)

    async def _first(
        self, scope: Scope, body: bytes, send: Send, row: tuple[bytes, str, str, bytes]
    ) -> None:
        """Handle the request, and keep its answer when it created something."""
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, content_type, chunks = 500, None, []

        async def keep(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = dict(message.get("headers") or []).get(b"content-type")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        store = scope["app"].state.runtime.store
        answer = b""
        try:
            await self.app(scope, replay_body, keep)
            answer = b"".join(chunks)
        finally:
            async with store.connection() as db:
                if status == 201 and len(answer) <= MAX_KEPT_BODY:
                    await db.execute(
                        f"""UPDATE auth.idempotency_keys
                            SET status = $5, content_type = $6, body = $7 WHERE {_THIS}""",
                        *row,
                        status,
                        content_type.decode("latin-1") if content_type else None,
                        answer,
                    )
                else:  # nothing was created: the key is free for another try
                    await db.execute(f"DELETE FROM auth.idempotency_keys WHERE {_THIS}", *row)


# This request's row: its key, and its request (the row is its own, not a later one's).
_THIS = "token_hash = $1 AND service = $2 AND key = $3 AND request_hash = $4"


async def _claim(db: Any, row: tuple[bytes, str, str, bytes]) -> Any:
    """Take the key for this request (None), or the row of the request that has it."""
    while True:
        # Keys are kept a day: the expired go first (by created_at, indexed), this one too.
        await db.execute(
            f"""DELETE FROM auth.idempotency_keys
                WHERE created_at < now() - interval '{KEPT_HOURS} hours'"""
        )
        claimed = await db.fetchval(
            """INSERT INTO auth.idempotency_keys (token_hash, service, key, request_hash)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (token_hash, service, key) DO NOTHING RETURNING true""",
            *row,
        )
        if claimed:
            return None
        earlier = await db.fetchrow(
            """SELECT request_hash, status, content_type, body FROM auth.idempotency_keys
               WHERE token_hash = $1 AND service = $2 AND key = $3""",
            *row[:3],
        )
        if earlier is not None:
            return earlier
        # The request that held the key has just let it go (it created nothing): try again.


async def _replay(send: Send, earlier: Any, request: bytes) -> None:
    if earlier["request_hash"] != request:
        await _answer(send, 422, _invalid("used before with another request: use a new key"))
    elif earlier["status"] is None:
        detail = (
            "a request with this Idempotency-Key is under way (or its answer was lost): look"
            " whether it was done before sending it again under a new key"
        )
        await _answer(send, 409, {"detail": detail, "rule": "idempotency_key_in_use"})
    else:
        headers = [(b"content-type", (earlier["content_type"] or "application/json").encode())]
        await send(
            {
                "type": "http.response.start",
                "status": earlier["status"],
                "headers": [*headers, REPLAYED],
            }
        )
        await send({"type": "http.response.body", "body": bytes(earlier["body"])})


def _invalid(message: str) -> dict[str, Any]:
    detail = f"Idempotency-Key: {message}"
    return {
        "detail": detail,
        "errors": [{"field": "header.Idempotency-Key", "message": message, "type": "value_error"}],
    }


async def _answer(send: Send, status: int, body: dict[str, Any]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": orjson.dumps(body)})


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)

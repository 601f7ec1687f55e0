"""`Idempotency-Key` on POST and DELETE: a create retried after a lost answer is done once.

A form sent twice (a double click, a dropped line, a retry after a timeout) must not register
a resident or post a wish twice. A client that sends `Idempotency-Key: <its own id for this
request>` gets, for 24 hours and from the same token, the first answer of a create (201)
again, marked `Idempotent-Replayed: true`, instead of a second create. The same key with a
different request is a 422 (a JSON body is compared in canonical form: its fields in another
order, or other spacing, are the same request). Other answers (4xx, 5xx, and 200s, which may
carry personal data — a search) are not kept: the key is free again, as nothing was created
— but a 200 its route marks with `keep_answer` (a sign-up, its withdrawal: a change that
cannot be made twice, answered with no personal data), kept as a create's 201 is; nor is a
create answered `Cache-Control: no-store` (a new token, shown once). Such a route names
instead what a resend is answered (`answer_resends`, once it has made it), without the
secret — a 409 with the id made: the key keeps that for the day, even when the answer then
failed, so that a resend makes no second token. One that names nothing frees its key, and a
resend is done again.
A request whose token is unknown, revoked or of another office goes to the route, which
refuses it; keys older than a day are deleted.

While the first request is under way, the same key is a 409, `idempotency_key_in_use`. A
keyed request is given `UNDER_WAY_SECONDS` (then it is cancelled, and rolled back). A key
still held `SETTLE_AFTER_SECONDS` after it was taken belongs to a request that died with its
process (a crash, a kill) before it could answer: the next try settles it from the event
store — when events with the dead request's causation id were appended after the key was
taken, it was done, and that try (and every later one) gets a 409 `idempotency_key_done`
naming what it recorded; when none were, nothing happened, and the try is done as the first.
The same check runs when a request fails (a 5xx, or its time up) after its commit, so that its
key is not freed for a second create.

Written as ASGI middleware because it must see the raw request and the whole answer, which
no FastAPI dependency does; the keys live in the `auth` schema beside the tokens they belong
to, under a SHA-256 of the token, with an HMAC of the request keyed by the token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wushe_events import trace

HEADER = b"idempotency-key"
REPLAYED = (b"idempotent-replayed", b"true")
KEPT_HOURS = 24
MAX_KEPT_BODY = 64 * 1024  # a create answers ids; anything bigger is not kept
# A create's form is a few KB; a keyed body larger than this is an upload (the residents
# import, which registers nobody twice by itself): passed on unkeyed, as it comes, for its
# route to read within its own limit — not read whole into memory here first.
MAX_KEYED_BODY = 1024 * 1024
UNDER_WAY_SECONDS = 60  # a create takes well under a second; a minute is a hung request
SETTLE_AFTER_SECONDS = 90  # beyond any request's time: its holder is gone
_KEY = re.compile(r"[\x21-\x7e]{1,200}")
# The scope's slot for what a resend of a request answered with a secret is answered instead.
_RESENDS = "wushe.idempotency.resends"
# The scope's slot a route marks when its 200 is to be kept as a create's 201 is.
_KEEPS = "wushe.idempotency.keeps"

Row = tuple[bytes, str, str, bytes]


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
            or scope["method"] not in ("POST", "DELETE")
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
        body, whole = await _body(receive, MAX_KEYED_BODY)
        if not whole:
            await self.app(scope, _replaying(body, receive), send)
            return
        token = hashlib.sha256(secret).digest()
        request = _request_hash(secret, scope, canonical(body))
        row = (token, self.service, text, request)
        causation = trace.current().causation_id
        async with app.state.runtime.store.connection() as db:
            earlier = await _claim(db, row, causation)
        if earlier is not None:
            # Keys taken before requests were compared in canonical form hold the hash of the
            # bytes sent: the same bytes sent again within the day are still the same request.
            await _replay(send, earlier, {request, _request_hash(secret, scope, body)})
            return
        await self._first(scope, body, send, row, causation)

    async def _first(self, scope: Scope, body: bytes, send: Send, row: Row, causation: Any) -> None:
        """Handle the request, and keep its answer when it created something."""
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, content_type, chunks = 500, None, []
        started = secret_answer = False

        async def keep(message: Message) -> None:
            nonlocal status, content_type, started, secret_answer
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                headers = dict(message.get("headers") or [])
                content_type = headers.get(b"content-type")
                # A new token (POST /accounts) is shown once and stored nowhere: not here.
                secret_answer = b"no-store" in headers.get(b"cache-control", b"")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        resends: list[dict[str, Any]] = []
        scope[_RESENDS] = resends
        keeps: list[bool] = []
        scope[_KEEPS] = keeps
        store = scope["app"].state.runtime.store
        answer = b""
        try:
            async with asyncio.timeout(UNDER_WAY_SECONDS):
                await self.app(scope, replay_body, keep)
            answer = b"".join(chunks)
        except TimeoutError:
            if started:
                raise
            detail = (
                f"not done within {UNDER_WAY_SECONDS} seconds, and undone: send it again with"
                " the same Idempotency-Key"
            )
            await _answer(send, 503, {"detail": detail, "rule": "request_timed_out"})
        finally:
            async with store.connection() as db:
                kept = status == 201 or (status == 200 and bool(keeps))
                if kept and not secret_answer and len(answer) <= MAX_KEPT_BODY:
                    await db.execute(
                        f"""UPDATE auth.idempotency_keys
                            SET status = $5, content_type = $6, body = $7 WHERE {_THIS}""",
                        *row,
                        status,
                        content_type.decode("latin-1") if content_type else None,
                        answer,
                    )
                elif resends:  # made, its answer shown once or failed: never a second
                    await db.execute(
                        f"""UPDATE auth.idempotency_keys
                            SET status = 409, content_type = 'application/json', body = $5
                            WHERE {_THIS}""",
                        *row,
                        orjson.dumps(resends[-1]),
                    )
                elif status < 500 or not await _settled(db, row, causation):
                    # Refused, or answered (a 200 creates nothing to replay), or failed before
                    # its commit: the key is free for another try.
                    await db.execute(f"DELETE FROM auth.idempotency_keys WHERE {_THIS}", *row)


def answer_resends(scope: Scope, answer: dict[str, Any]) -> None:
    """What a resend of this request with its Idempotency-Key is answered for the day: a 409
    `answer` in place of this request's, which holds a secret shown once (`no-store`) — never
    the secret, and never a second create."""
    resends = scope.get(_RESENDS)
    if resends is not None:
        resends.append(answer)


def keep_answer(scope: Scope) -> None:
    """Keep this request's 200 for a resend with its Idempotency-Key, as a create's 201 is:
    for a change that cannot be made twice (a sign-up, its withdrawal), whose answer holds no
    personal data — a resend after a lost answer gets the first answer, not a 409 saying it
    was already done."""
    keeps = scope.get(_KEEPS)
    if keeps is not None:
        keeps.append(True)


def canonical(body: bytes) -> bytes:
    """What identifies a request's body: a JSON document parsed as the route parses it (the
    standard library's reader, which keeps every digit of an integer) and written again with
    its keys sorted and no spaces — the same fields in another order or layout are the same
    request — and any other body as its bytes."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (ValueError: undecodable text too)
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _request_hash(secret: bytes, scope: Scope, body: bytes) -> bytes:
    # Keyed with the token itself, which is stored nowhere: a body may hold a name and an
    # ID number, and a plain hash of it could be tested against guesses.
    return hmac.digest(
        secret,
        b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body]),
        "sha256",
    )


# This request's row: its key, and its request (the row is its own, not a later one's).
_THIS = "token_hash = $1 AND service = $2 AND key = $3 AND request_hash = $4"

# The service's events are in its own schema (the connection's search path).
_LAST_POSITION = "(SELECT coalesce(max(global_position), 0) FROM events)"


async def _claim(db: Any, row: Row, causation: Any) -> Any:
    """Take the key for this request (None), or the row of the request that has it."""
    while True:
        # Keys are kept a day: the expired go first (by created_at, indexed), this one too.
        await db.execute(
            f"""DELETE FROM auth.idempotency_keys
                WHERE created_at < now() - interval '{KEPT_HOURS} hours'"""
        )
        claimed = await db.fetchval(
            f"""INSERT INTO auth.idempotency_keys
                    (token_hash, service, key, request_hash, causation_id, after_position)
                VALUES ($1, $2, $3, $4, $5, {_LAST_POSITION})
                ON CONFLICT (token_hash, service, key) DO NOTHING RETURNING true""",
            *row,
            causation,
        )
        if claimed:
            return None
        earlier = await db.fetchrow(
            f"""SELECT request_hash, status, content_type, body, causation_id,
                       created_at < now() - interval '{SETTLE_AFTER_SECONDS} seconds' AS dead
                FROM auth.idempotency_keys
                WHERE token_hash = $1 AND service = $2 AND key = $3""",
            *row[:3],
        )
        if earlier is None:
            continue  # the request that held the key has just let it go: try again
        if (
            earlier["status"] is not None
            or not earlier["dead"]
            or earlier["request_hash"] != row[3]
            or earlier["causation_id"] is None  # taken before auth_0005: cannot be looked into
        ):
            return earlier
        # Its request died without answering: what it did, or else the key is ours.
        if await _settled(db, row, earlier["causation_id"]):
            continue  # now answered: replay that
        taken = await db.fetchval(
            f"""UPDATE auth.idempotency_keys
                SET causation_id = $6, after_position = {_LAST_POSITION}, created_at = now()
                WHERE {_THIS} AND status IS NULL AND causation_id IS NOT DISTINCT FROM $5
                RETURNING true""",
            *row,
            earlier["causation_id"],
            causation,
        )
        if taken:
            return None


async def _settled(db: Any, row: Row, causation: Any) -> bool:
    """Whether the request that took the key under `causation` appended events after it did
    so: if it did, its key answers from now on that it was done (409), never a second create."""
    if causation is None:
        return False
    done = await db.fetchrow(
        """SELECT e.aggregate, e.aggregate_id FROM events e JOIN auth.idempotency_keys k
               ON e.global_position > k.after_position AND e.causation_id = $5
           WHERE k.token_hash = $1 AND k.service = $2 AND k.key = $3 AND k.request_hash = $4
           ORDER BY e.global_position LIMIT 1""",
        *row,
        causation,
    )
    if done is None:
        return False
    answer = {
        "detail": (
            f"the request sent with this Idempotency-Key was done — it recorded"
            f" {done['aggregate']} {done['aggregate_id']} — but its answer was lost: look it up"
            " rather than sending it again"
        ),
        "rule": "idempotency_key_done",
        "aggregate": done["aggregate"],
        "id": done["aggregate_id"],
    }
    await db.execute(
        f"""UPDATE auth.idempotency_keys
            SET status = 409, content_type = 'application/json', body = $5 WHERE {_THIS}""",
        *row,
        orjson.dumps(answer),
    )
    return True


async def _replay(send: Send, earlier: Any, requests: set[bytes]) -> None:
    if bytes(earlier["request_hash"]) not in requests:
        await _answer(send, 422, _invalid("used before with another request: use a new key"))
    elif earlier["status"] is None:
        detail = (
            "a request with this Idempotency-Key is under way: send it again in a while (a"
            f" request that died is looked into after {SETTLE_AFTER_SECONDS} seconds)"
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


async def _body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request's body, and whether it is whole: reading stops once past `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body"):
            break
        if size > limit:
            return b"".join(chunks), False
    return b"".join(chunks), True


def _replaying(head: bytes, receive: Receive) -> Receive:
    """The body read so far, then the rest as it comes."""
    pending = [head]

    async def replay() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": True}
        return await receive()

    return replay

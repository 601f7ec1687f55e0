"""Connecting to NATS and provisioning the office streams (DESIGN §4).

Streams are created when missing and never updated: operators own their limits, replicas and
placement once a stream exists (FastStream's `JStream(declare=True)` would overwrite them).
"""

from __future__ import annotations

import asyncio

import nats
import structlog
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from wushe_events.secret_urls import inbox_prefix, nats_servers
from wushe_events.subjects import (
    dead_letter_stream,
    dead_letter_subjects,
    office_subjects,
    stream_name,
)

log = structlog.get_logger()

DUPLICATE_WINDOW = 15 * 60.0  # seconds; covers the relay's retries after an outage
MIN_DUPLICATE_WINDOW = 120.0


def raise_if_cancelled() -> None:
    """Honour a cancellation that nats-py swallowed.

    nats-py's `flush()` (called when subscribing) catches `CancelledError` and carries on; a
    loop that goes round again after such a call would never stop. Loops call this each round.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def connect(url: str, name: str) -> Client:
    """A connection that never gives up reconnecting (nats-py stops after 60 tries by default).

    `url` may carry credentials, `nats://user:password@host:4222` (a NATS server with users,
    README "Read-only accounts for integrators"): they are sent to every server of the list
    and of its cluster, and never logged. A user other than the services' `wushe` gets its
    replies on its private inbox prefix, `_INBOX_<user>`, the only one its permissions allow."""

    client: list[Client] = []

    async def disconnected() -> None:
        if client and (client[0].is_closed or client[0].is_draining):
            return  # closing on purpose: nothing to warn about
        log.warning("nats_disconnected", client=name)

    async def reconnected() -> None:
        log.info("nats_reconnected", client=name)

    async def error(exc: Exception) -> None:
        # The server's words ("Authorization Violation", "Permissions Violation for Publish
        # to …") tell an operator what is wrong; they never hold the URL or its password.
        detail = str(exc)[:300] if type(exc).__module__.startswith("nats") else None
        log.warning("nats_error", client=name, error=type(exc).__name__, detail=detail)

    servers, credentials = nats_servers(url)
    connection = await nats.connect(
        servers=servers,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
        error_cb=error,
        user=credentials.get("user"),
        password=credentials.get("password"),
        token=credentials.get("token"),
        inbox_prefix=inbox_prefix(credentials.get("user")),
    )
    client.append(connection)
    return connection


def office_stream_config(office: str, *, protect: bool = True, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=stream_name(office),
        subjects=[office_subjects(office)],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        # With a size limit set later by an operator, refuse new messages rather than
        # silently dropping the oldest history that projections rebuild from.
        discard=DiscardPolicy.NEW,
        duplicate_window=DUPLICATE_WINDOW,
        deny_delete=protect,
        deny_purge=protect,
        num_replicas=replicas,  # WUSHE_STREAM_REPLICAS: 3 on a 3-node cluster, one may fail
    )


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        info = await js.stream_info(config.name or "")
    except NotFoundError:
        await js.add_stream(config)
        log.info("stream_created", stream=config.name)
        return
    window = info.config.duplicate_window or 0
    if window < MIN_DUPLICATE_WINDOW and not info.config.sources:
        log.warning("stream_duplicate_window_short", stream=config.name, seconds=window)


async def ensure_office_stream(
    js: JetStreamContext, office: str, *, protect: bool = True, replicas: int = 1
) -> str:
    config = office_stream_config(office, protect=protect, replicas=replicas)
    await ensure_stream(js, config)
    return config.name or ""


async def ensure_dead_letter_stream(js: JetStreamContext, office: str, replicas: int = 1) -> str:
    config = StreamConfig(
        name=dead_letter_stream(office),
        subjects=[dead_letter_subjects(office)],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW,
        num_replicas=replicas,
    )
    await ensure_stream(js, config)
    return config.name or ""

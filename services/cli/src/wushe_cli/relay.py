"""The relay process: publishes the outbox of each writing service's schema to JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable

import structlog
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from pydantic import Field

from wushe_events import logging as wushe_logging
from wushe_events.database import connect as connect_database
from wushe_events.jetstream import connect
from wushe_events.relay import Relay
from wushe_events.subjects import stream_name
from wushe_service.runtime import wait_for_dependency
from wushe_service.settings import ConnectionSettings

log = structlog.get_logger()


class RelaySettings(ConnectionSettings):
    relay_schemas: str = Field(
        "needs,volunteers,funds",
        description="schemas whose events the relay publishes",
    )
    relay_poll_interval: float = Field(
        1.0,
        description="seconds between polls when no notification arrives",
    )

    def schemas(self) -> list[str]:
        return [s.strip() for s in self.relay_schemas.split(",") if s.strip()]


async def run(settings: RelaySettings, on_start: Callable[[], None] = lambda: None) -> None:
    wushe_logging.configure(
        "relay", settings.office, level=settings.log_level, json=settings.log_format == "json"
    )
    on_start()
    client = await wait_for_dependency(
        "nats", lambda: connect(settings.nats_url, f"wushe-relay-{settings.office}")
    )
    log.info("relay_started", schemas=settings.schemas())
    try:
        await asyncio.gather(*(relay.run() for relay in relays(settings, client)))
    finally:
        with contextlib.suppress(Exception):
            await client.close()


def relays(settings: RelaySettings, client: Client) -> list[Relay]:
    """One relay per schema of `settings`."""
    return [
        Relay(
            client.jetstream(),
            office=settings.office,
            connect=functools.partial(
                connect_database, settings.database_url, schema, application="wushe-relay"
            ),
            schema=schema,
            poll_interval=settings.relay_poll_interval,
            stream_replicas=settings.stream_replicas,
        )
        for schema in settings.schemas()
    ]


class StreamNotEmpty(Exception):
    def __init__(self, stream: str, held: int) -> None:
        super().__init__(
            f"{stream} still holds {held:,} events: republishing them would store those older"
            " than its duplicate window twice (after restoring the database from a backup,"
            " run `wushe events restored` instead)"
        )


async def rewind(settings: RelaySettings, *, force: bool = False) -> dict[str, int]:
    """Rewind every schema's relay to the start of its log, to refill an office stream NATS
    lost (`wushe events republish`); the events to publish again, by schema. Refused while
    the stream holds events (StreamNotEmpty, unless `force`) or a relay runs (RelayRunning)."""
    stream = stream_name(settings.office)
    client = await connect(settings.nats_url, f"wushe-republish-{settings.office}")
    try:
        try:
            held = (await client.jetstream().stream_info(stream)).state.messages
        except NotFoundError:
            held = 0
        if held and not force:
            raise StreamNotEmpty(stream, held)
        return {relay.schema: await relay.rewind() for relay in relays(settings, client)}
    finally:
        await client.close()

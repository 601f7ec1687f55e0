"""The city hub's stream `WUSHE_ALL`: it sources every office's stream over leaf nodes.

Each office's NATS runs JetStream in a domain named after the office and connects to the hub as
a leaf node; the hub reads `WUSHE_<OFFICE>` through that domain's API (`$JS.<office>.API`). A
source is a consumer the hub keeps on the office's stream: after an outage it resumes from the
last sequence it copied, so nothing is lost and nothing is copied twice.

Like the office streams, `WUSHE_ALL` is created when missing and otherwise left as the operator
configured it — except that an office named in the configuration but missing from its sources
is added. That update goes through the raw JSON API with the stream's own configuration as the
server returned it, so settings that nats-py does not model survive it too; sources are never
removed (an operator removes one with `nats stream edit`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from nats.aio.client import Client

from wushe_events.jetstream import DUPLICATE_WINDOW
from wushe_events.subjects import check_office, stream_name

log = structlog.get_logger()

HUB_STREAM = "WUSHE_ALL"
HUB_DOMAIN = "hub"  # the hub's own JetStream domain (wushe_embedded.hub_nats, deploy/nats)
STREAM_NOT_FOUND = 10059  # JetStream API error code


class JetStreamApiError(RuntimeError):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error.get("description", "JetStream API error"))
        self.code = error.get("err_code")
        self.status = error.get("code")  # 503: unavailable for now (a cluster without a leader)


def office_domain(office: str) -> str:
    """The JetStream domain of an office's NATS: the office id."""
    return check_office(office)


def hub_offices(listed: str) -> list[str]:
    """The offices of a hub from a comma-separated list: each a valid office id, none twice
    (a stream cannot source one stream twice), none named after the hub's own domain."""
    offices: list[str] = []
    for name in (o.strip() for o in listed.split(",")):
        if not name:
            continue
        if check_office(name) == HUB_DOMAIN:
            raise ValueError(f"no office may be called {HUB_DOMAIN}: the hub's domain")
        if name not in offices:
            offices.append(name)
    if not offices:
        raise ValueError("name at least one office")
    return offices


def office_source(office: str) -> dict[str, Any]:
    return {
        "name": stream_name(office),
        "external": {"api": f"$JS.{office_domain(office)}.API"},
    }


def hub_stream_config(
    offices: Sequence[str], name: str = HUB_STREAM, replicas: int = 1
) -> dict[str, Any]:
    """The configuration `WUSHE_ALL` is created with (the JetStream API's JSON)."""
    return {
        "name": name,
        "sources": [office_source(office) for office in offices],
        "retention": "limits",
        "storage": "file",
        "discard": "new",  # as the office streams: never drop the history projections rebuild from
        "duplicate_window": int(DUPLICATE_WINDOW * 1e9),
        "deny_delete": True,
        "deny_purge": True,
        "num_replicas": replicas,
    }


async def jetstream_api(
    client: Client, subject: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A request to JetStream's JSON API (`$JS.API.<subject>`): its reply, or its error raised
    (JetStreamApiError). Raw, so that settings nats-py does not model survive a round trip."""
    payload = json.dumps(body).encode() if body is not None else b""
    reply = json.loads((await client.request(f"$JS.API.{subject}", payload, timeout=10)).data)
    if "error" in reply:
        raise JetStreamApiError(reply["error"])
    return reply


async def ensure_hub_stream(
    client: Client, offices: Sequence[str], name: str = HUB_STREAM, replicas: int = 1
) -> list[str]:
    """Create the hub stream, or add the offices missing from its sources; the offices added."""
    try:
        info = await jetstream_api(client, f"STREAM.INFO.{name}")
    except JetStreamApiError as error:
        if error.code != STREAM_NOT_FOUND:
            raise
        await jetstream_api(
            client, f"STREAM.CREATE.{name}", hub_stream_config(offices, name, replicas)
        )
        log.info("hub_stream_created", stream=name, offices=list(offices))
        return list(offices)
    config = info["config"]
    sourced = {source["name"] for source in config.get("sources") or []}
    missing = [office for office in offices if stream_name(office) not in sourced]
    if missing:
        config["sources"] = [*(config.get("sources") or []), *map(office_source, missing)]
        await jetstream_api(client, f"STREAM.UPDATE.{name}", config)
        log.info("hub_stream_sources_added", stream=name, offices=missing)
    return missing


@dataclass(frozen=True)
class Link:
    """The state of one office's source, as the hub's stream reports it."""

    stream: str
    lag: int  # messages of the office's stream not yet copied, as of the last contact
    seconds_since_active: float | None  # since the last message or heartbeat; None: never
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "lag": self.lag,
            "seconds_since_active": self.seconds_since_active,
            "error": self.error,
        }


async def source_links(client: Client, name: str = HUB_STREAM) -> dict[str, Link]:
    """The hub stream's sources by stream name (empty when it has none or does not exist)."""
    try:
        info = await jetstream_api(client, f"STREAM.INFO.{name}")
    except JetStreamApiError as error:
        if error.code != STREAM_NOT_FOUND:
            raise
        return {}
    links = {}
    for source in info.get("sources") or []:
        active = source.get("active", -1)  # nanoseconds; -1 when it never made contact
        problem = source.get("error")
        links[source["name"]] = Link(
            stream=source["name"],
            lag=source.get("lag", 0),
            seconds_since_active=None if active < 0 else round(active / 1e9, 3),
            error=problem.get("description") if problem else None,
        )
    return links

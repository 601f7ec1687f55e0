"""`wushe events tail`: follow the bus as an integrator would."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import orjson
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from wushe_events.envelope import InvalidEnvelope, parse
from wushe_events.hub import HUB_STREAM
from wushe_events.jetstream import connect
from wushe_events.subjects import check_office, stream_name


def subject_filter(office: str | None, event_type: str | None) -> str:
    """`wushe.<office or *>.…` for an event type (with or without `wushe.` and `.vN`)."""
    office_token = check_office(office) if office else "*"
    if not event_type:
        return f"wushe.{office_token}.>"
    parts = event_type.removeprefix("wushe.").split(".")
    if parts and parts[-1].startswith("v") and parts[-1][1:].isdigit():
        parts = parts[:-1]
    if len(parts) != 3:
        raise ValueError("a type is <service>.<aggregate>.<event>, e.g. needs.wish.claimed")
    return f"wushe.{office_token}.{'.'.join(parts)}"


def line(message: Msg, as_json: bool) -> str:
    if as_json:
        return message.data.decode()
    try:
        envelope = parse(message.data)
    except InvalidEnvelope as error:
        return f"{message.subject}  (not an envelope: {error})"
    data = orjson.dumps(envelope.data).decode()
    return (
        f"{envelope.time.isoformat(timespec='seconds')}  {envelope.office}  "
        f"{envelope.type}  {envelope.subject}  {data}"
    )


async def _stream_of(client: Client, office: str) -> str:
    """The stream holding the office's events: its own, or on a city hub `WUSHE_ALL`."""
    for stream in (stream_name(office), HUB_STREAM):
        try:
            await client.jetstream().stream_info(stream)
            return stream
        except NotFoundError:
            continue
    raise ValueError(
        f"no stream {stream_name(office)} (nor {HUB_STREAM}) on this NATS: is the office id"
        " right, and WUSHE_NATS_URL the office's (or its city hub's) NATS?"
    )


async def tail(
    nats_url: str,
    office: str | None,
    event_type: str | None,
    *,
    from_start: bool,
    count: int | None,
    as_json: bool,
    emit: Callable[[str], None],
) -> int:
    """Print events until `count` were shown (or forever). With an office, read its stream
    (from its start if asked); without one, every office's live subjects."""
    subjects = subject_filter(office, event_type)
    client = await connect(nats_url, "wushe-events-tail")
    shown = 0
    done = asyncio.Event()

    async def show(message: Msg) -> None:
        nonlocal shown
        if count is not None and shown >= count:
            return
        emit(line(message, as_json))
        shown += 1
        if count is not None and shown >= count:
            done.set()

    subscription: Subscription
    try:
        if office:
            policy = DeliverPolicy.ALL if from_start else DeliverPolicy.NEW
            subscription = await client.jetstream().subscribe(
                subjects,
                stream=await _stream_of(client, office),
                cb=show,
                ordered_consumer=True,
                deliver_policy=policy,
            )
        else:
            subscription = await client.subscribe(subjects, cb=show)
        await done.wait()
        await subscription.unsubscribe()
    finally:
        with contextlib.suppress(Exception):
            await client.close()
    return shown

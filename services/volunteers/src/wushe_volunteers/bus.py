"""The volunteers service's subscriptions: a fulfilled micro-wish becomes pending hours, which
the social worker's confirmation of the wish verifies; the needs service's communities are
kept as a replica, so that a command naming one is checked without calling another service."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import structlog
from nats.js.errors import NotFoundError

from wushe_events.catalogue.needs import (
    ClaimantKind,
    WishConfirmed,
    WishFulfilled,
)
from wushe_events.consumer import ConsumerSpec, Poison
from wushe_events.envelope import Envelope
from wushe_events.errors import NotFound
from wushe_events.store import Transaction
from wushe_events.subjects import stream_name
from wushe_service import communities
from wushe_service.runtime import Runtime
from wushe_volunteers.commands.hours import record_wish_hours, verify_wish_hours

log = structlog.get_logger()


async def hours_for_fulfilled_wishes(tx: Transaction, envelope: Envelope) -> None:
    event = envelope.event()
    assert isinstance(event, WishFulfilled)
    if event.claimant_kind is not ClaimantKind.volunteer or event.claimant_id is None:
        # A team fulfilled it: its coordinator records its members' hours from the activity.
        log.info("wish_hours_skipped", wish_id=str(event.wish_id), reason="not a volunteer's")
        return
    try:
        await record_wish_hours(tx, event.wish_id, event.claimant_id, event.hours)
    except NotFound as unknown:
        # The needs service takes claims only from volunteers registered here, so this is a
        # wrong event, not an early one: dead-lettered for an operator to see, not retried.
        log.warning("wish_hours_unknown_volunteer", wish_id=str(event.wish_id))
        raise Poison(str(unknown)) from None


async def hours_of_wishes(tx: Transaction, envelope: Envelope) -> None:
    """A wish's events in the order they happened, in one consumer: its fulfilment records
    the hours before its confirmation verifies them (two consumers could see them in either
    order). Its other events change no hours."""
    if envelope.type == WishFulfilled.type:
        await hours_for_fulfilled_wishes(tx, envelope)
    elif envelope.type == WishConfirmed.type:
        event = envelope.event()
        assert isinstance(event, WishConfirmed)
        verified = await verify_wish_hours(
            tx, event.wish_id, envelope.time, _person(event.confirmed_by)
        )
        log.info("wish_hours_verified", wish_id=str(event.wish_id), records=verified)


def _person(text: str | None) -> UUID | None:
    """A person id as the needs service's events carry it (text), if it is one."""
    try:
        return UUID(text) if text else None
    except ValueError:
        return None


# Durable consumers this service once read and reads no more, each with what succeeds it.
RETIRED = {"volunteers-wish-hours": "volunteers-wish-outcomes"}


async def retire_consumers(runtime: Runtime) -> None:
    """Delete the retired durable consumers still on the office's stream: nothing reads them,
    and their pending count, never falling, would look like a service behind. Their successors
    read the stream from its start and record nothing twice, so nothing they held is lost."""
    stream = stream_name(runtime.office)
    for name, successor in RETIRED.items():
        try:
            await runtime.js.delete_consumer(stream, name)
        except NotFoundError:
            continue
        log.info("consumer_retired", stream=stream, consumer=name, successor=successor)


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    return [
        communities.consumer(
            runtime.office,
            "volunteers-communities",
            "Wushe volunteers: the communities volunteers, sites and activities may name",
        ),
        # Succeeds `volunteers-wish-hours` (fulfilments only; RETIRED): from the stream's
        # start, it records nothing twice and verifies the hours of the wishes confirmed before.
        ConsumerSpec(
            name="volunteers-wish-outcomes",
            stream=stream_name(runtime.office),
            filter_subject=f"wushe.{runtime.office}.needs.wish.>",
            handler=hours_of_wishes,
            description="Wushe volunteers: hours for fulfilled micro-wishes, verified once "
            "a social worker confirms the wish",
        ),
    ]

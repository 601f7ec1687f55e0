"""The volunteers service's subscriptions: fulfilled micro-wishes become pending hours; the
needs service's communities are kept as a replica, so that a command naming one is checked
without calling another service."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from wushe_events.catalogue.needs import (
    ClaimantKind,
    WishFulfilled,
)
from wushe_events.consumer import ConsumerSpec, Poison
from wushe_events.envelope import Envelope
from wushe_events.errors import NotFound
from wushe_events.store import Transaction
from wushe_events.subjects import event_subject, stream_name
from wushe_service import communities
from wushe_service.runtime import Runtime
from wushe_volunteers.commands.hours import record_wish_hours

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


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    return [
        communities.consumer(
            runtime.office,
            "volunteers-communities",
            "Wushe volunteers: the communities volunteers, sites and activities may name",
        ),
        ConsumerSpec(
            name="volunteers-wish-hours",
            stream=stream_name(runtime.office),
            filter_subject=event_subject(runtime.office, WishFulfilled.type),
            handler=hours_for_fulfilled_wishes,
            description="Wushe volunteers: pending hours for fulfilled micro-wishes",
        ),
    ]

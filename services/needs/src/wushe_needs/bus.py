"""The needs service's subscriptions: the volunteers and teams that may claim wishes, and
the activities and grants that answer needs.

The service keeps its own replica of volunteers and teams from the volunteers service's
events, so that a claim is checked without calling another service; a volunteer suspended or
withdrawn gives back the wishes they hold. A scheduled activity (volunteers service) and an
approved micro-venture grant (funds service) match the open needs they name.
"""

from __future__ import annotations

from collections.abc import Sequence

from wushe_events.catalogue import UnknownEventType
from wushe_events.catalogue.funds import ApplicationApproved, ApplicationSubmitted
from wushe_events.catalogue.needs import ClaimantKind
from wushe_events.catalogue.volunteers import (
    ActivityCancelled,
    ActivityScheduled,
    TeamRegistered,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
    VolunteerSuspended,
    VolunteerWithdrawn,
)
from wushe_events.consumer import ConsumerSpec
from wushe_events.envelope import Envelope
from wushe_events.store import Transaction
from wushe_events.subjects import service_subjects, stream_name
from wushe_needs import store
from wushe_needs.commands import answers, wishes
from wushe_service.runtime import Runtime


async def follow_volunteers(tx: Transaction, envelope: Envelope) -> None:
    try:
        event = envelope.event()
    except UnknownEventType:
        return
    at = envelope.time
    match event:
        case VolunteerRegistered():
            await store.upsert_claimant(
                tx.raw, event.volunteer_id, ClaimantKind.volunteer, event.display_name, at
            )
        case TeamRegistered():
            await store.upsert_claimant(tx.raw, event.team_id, ClaimantKind.team, event.name, at)
        case VolunteerSuspended() | VolunteerWithdrawn():
            await store.lock_claimant(tx.raw, event.volunteer_id)  # a claim under way ends first
            await store.set_claimant_active(tx.raw, event.volunteer_id, False, at)
            await wishes.release_claims_of(tx, event.volunteer_id, at)
        case VolunteerReactivated():
            await store.set_claimant_active(tx.raw, event.volunteer_id, True, at)
        case VolunteerErased():
            await store.forget_claimant_name(tx.raw, event.volunteer_id, at)
        case ActivityScheduled():
            await answers.activity_scheduled(tx, event.activity_id, event.need_ids, at)
        case ActivityCancelled():
            await answers.activity_cancelled(tx, event.activity_id, at)


async def match_granted_needs(tx: Transaction, envelope: Envelope) -> None:
    try:
        event = envelope.event()
    except UnknownEventType:
        return
    match event:
        case ApplicationSubmitted():
            await answers.application_submitted(
                tx, event.application_id, event.need_ids, envelope.time
            )
        case ApplicationApproved():
            await answers.application_approved(tx, event.application_id, envelope.time)


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    return [
        ConsumerSpec(
            name="needs-claimants",
            stream=stream_name(runtime.office),
            filter_subject=service_subjects(runtime.office, "volunteers"),
            handler=follow_volunteers,
            description="Wushe needs: volunteers and teams who may claim micro-wishes, and the "
            "activities that serve needs",
        ),
        ConsumerSpec(
            name="needs-grants",
            stream=stream_name(runtime.office),
            filter_subject=f"wushe.{runtime.office}.funds.application.>",
            handler=match_granted_needs,
            description="Wushe needs: approved micro-venture grants answer the needs they name",
        ),
    ]

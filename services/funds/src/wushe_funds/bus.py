"""The funds service's subscriptions: its replicas of the volunteers' teams and members and
of the needs service's communities, and the category of each need (the projects list's).

Reviewers and evaluators of a team's application must not belong to it, only its coordinators
act for it, the public ledger names the team paid and the community of a fund: all are read
from these replicas, never by calling another service.
"""

from __future__ import annotations

from collections.abc import Sequence

from wushe_events.catalogue import UnknownEventType
from wushe_events.catalogue.needs import NeedIdentified
from wushe_events.catalogue.volunteers import TeamMemberAdded, TeamMemberRemoved, TeamRegistered
from wushe_events.consumer import ConsumerSpec
from wushe_events.envelope import Envelope
from wushe_events.store import Transaction
from wushe_events.subjects import event_subject, service_subjects, stream_name
from wushe_funds import store
from wushe_service import communities
from wushe_service.runtime import Runtime

# Durables the service no longer reads but that may linger on an office's NATS (CHANGELOG).
RETIRED_CONSUMERS = ("funds-teams",)


async def replicate_teams(tx: Transaction, envelope: Envelope) -> None:
    try:
        event = envelope.event()
    except UnknownEventType:
        return
    match event:
        case TeamRegistered():
            await store.teams.upsert_team(tx.raw, event.team_id, event.kind.value, event.name)
        case TeamMemberAdded():
            await store.teams.add_member(
                tx.raw, event.team_id, event.volunteer_id, event.role.value
            )
        case TeamMemberRemoved():
            await store.teams.remove_member(tx.raw, event.team_id, event.volunteer_id)


async def replicate_need_categories(tx: Transaction, envelope: Envelope) -> None:
    """A need's category, by its id: the rest of the event (its resident, survey, notes) is
    not kept."""
    try:
        event = envelope.event()
    except UnknownEventType:
        return
    if isinstance(event, NeedIdentified):
        await store.need_categories.keep_need_category(tx.raw, event.need_id, event.category)


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    return [
        communities.consumer(
            runtime.office,
            "funds-communities",
            "Wushe funds: the communities funds and projects may name, and their public names",
        ),
        ConsumerSpec(
            # v2: members' roles are replicated too (funds_0005); a new durable name replays
            # the volunteers' events from the start into the (idempotent) replica.
            name="funds-teams-v2",
            stream=stream_name(runtime.office),
            filter_subject=service_subjects(runtime.office, "volunteers"),
            handler=replicate_teams,
            description="Wushe funds: teams and their members (recusal, ledger counterparts)",
        ),
        ConsumerSpec(
            name="funds-need-categories",
            stream=stream_name(runtime.office),
            filter_subject=event_subject(runtime.office, NeedIdentified.type),
            handler=replicate_need_categories,
            description="Wushe funds: the category of each need, named by projects on the "
            "public projects list",
        ),
    ]

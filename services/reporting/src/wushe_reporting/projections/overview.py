"""The overview: totals per office and per community, one function per event type.

Each function runs in the consumer's transaction, next to the tracking row of its event, so an
event counts exactly once however often it is delivered. No personal data reaches these tables:
the events carry none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import asyncpg

from wushe_events.catalogue import Event, UnknownEventType
from wushe_events.catalogue.funds import DonationReceived, FundOpened
from wushe_events.catalogue.needs import CommunityRegistered, ResidentRegistered, SurveyRecorded
from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.envelope import Envelope
from wushe_events.store import Transaction

Apply = Callable[[asyncpg.Connection, str, Event], Awaitable[None]]


async def _bump_office(db: asyncpg.Connection, office: str, column: str, by: int = 1) -> None:
    await db.execute(
        f"""INSERT INTO office_overview (office, {column}) VALUES ($1, $2)
            ON CONFLICT (office) DO UPDATE SET {column} = office_overview.{column} + $2""",
        office,
        by,
    )


async def _bump_community(
    db: asyncpg.Connection,
    office: str,
    community_id: str | None,
    column: str,
    by: int = 1,
) -> None:
    if community_id is None:
        return
    await db.execute(
        f"""INSERT INTO community_overview (office, community_id, {column}) VALUES ($1, $2, $3)
            ON CONFLICT (office, community_id)
            DO UPDATE SET {column} = community_overview.{column} + $3""",
        office,
        community_id,
        by,
    )


async def community_registered(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, CommunityRegistered)
    await _bump_office(db, office, "communities")
    await db.execute(
        """INSERT INTO community_overview (office, community_id, name, street)
           VALUES ($1, $2, $3, $4) ON CONFLICT (office, community_id)
           DO UPDATE SET name = excluded.name, street = excluded.street""",
        office,
        e.community_id,
        e.name,
        e.street,
    )


async def resident_registered(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, ResidentRegistered)
    await _bump_office(db, office, "residents")
    await _bump_community(db, office, e.community_id, "residents")


async def survey_recorded(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, SurveyRecorded)
    await _bump_office(db, office, "surveys")
    await _bump_community(db, office, e.community_id, "surveys")


async def volunteer_registered(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, VolunteerRegistered)
    await _bump_office(db, office, "volunteers")
    await _bump_community(db, office, e.community_id, "volunteers")


async def fund_opened(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, FundOpened)
    await _bump_office(db, office, "funds")
    await _bump_community(db, office, e.community_id, "funds")
    await db.execute(
        """INSERT INTO fund_communities VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""",
        office,
        e.fund_id,
        e.community_id,
    )


async def donation_received(db: asyncpg.Connection, office: str, e: Event) -> None:
    assert isinstance(e, DonationReceived)
    await _bump_office(db, office, "donations")
    await _bump_office(db, office, "raised_fen", e.amount_fen)
    community_id = await db.fetchval(
        "SELECT community_id FROM fund_communities WHERE office = $1 AND fund_id = $2",
        office,
        e.fund_id,
    )
    await _bump_community(db, office, community_id, "raised_fen", e.amount_fen)


APPLY: dict[str, Apply] = {
    CommunityRegistered.type: community_registered,
    ResidentRegistered.type: resident_registered,
    SurveyRecorded.type: survey_recorded,
    VolunteerRegistered.type: volunteer_registered,
    FundOpened.type: fund_opened,
    DonationReceived.type: donation_received,
}


async def _seen(db: asyncpg.Connection, office: str, moment: datetime) -> None:
    await db.execute(
        """INSERT INTO office_overview (office, last_event_at) VALUES ($1, $2)
           ON CONFLICT (office) DO UPDATE
           SET last_event_at = greatest(office_overview.last_event_at, excluded.last_event_at)""",
        office,
        moment,
    )


async def project(tx: Transaction, envelope: Envelope) -> None:
    """The consumer's handler: apply one event of any office to the overview."""
    await _seen(tx.raw, envelope.office, envelope.time)
    apply = APPLY.get(envelope.type)
    if apply is None:
        return
    try:
        event = envelope.event()
    except UnknownEventType:
        return
    await apply(tx.raw, envelope.office, event)

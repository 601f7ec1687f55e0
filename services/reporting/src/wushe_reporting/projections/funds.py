"""Facts from the funds service: funds and their money flows, grant rounds, grants."""

from __future__ import annotations

import asyncpg

from wushe_events.catalogue import funds as ev
from wushe_events.envelope import Envelope
from wushe_reporting.projections.facts import record, registry

APPLY, on = registry()


@on(ev.FundOpened)
async def fund(db: asyncpg.Connection, e: ev.FundOpened, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "funds",
        {"fund_id": e.fund_id},
        fill={"community_id": e.community_id, "name": e.name},
    )


async def _flow(
    db: asyncpg.Connection, env: Envelope, fund_id: object, kind: str, amount_fen: int
) -> None:
    # One row per flow, keyed by the event: replays and duplicates write the same row.
    await record(
        db,
        env.office,
        "fund_flows",
        {"flow_id": env.id},
        fill={"fund_id": fund_id, "kind": kind, "amount_fen": amount_fen, "happened_at": env.time},
    )


@on(ev.DonationReceived)
async def donation(db: asyncpg.Connection, e: ev.DonationReceived, env: Envelope) -> None:
    await _flow(db, env, e.fund_id, "donation", e.amount_fen)


@on(ev.DonationRefunded)
async def refunded(db: asyncpg.Connection, e: ev.DonationRefunded, env: Envelope) -> None:
    await _flow(db, env, e.fund_id, "refund", e.amount_fen)


@on(ev.GrantDisbursed)
async def disbursed(db: asyncpg.Connection, e: ev.GrantDisbursed, env: Envelope) -> None:
    await _flow(db, env, e.fund_id, "disbursement", e.amount_fen)


@on(ev.RoundOpened)
async def round_opened(db: asyncpg.Connection, e: ev.RoundOpened, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "rounds",
        {"round_id": e.round_id},
        fill={"fund_id": e.fund_id, "budget_fen": e.budget_fen, "closes_at": e.closes_at},
    )


@on(ev.ApplicationSubmitted)
async def submitted(db: asyncpg.Connection, e: ev.ApplicationSubmitted, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        fill={
            "round_id": e.round_id,
            "community_id": e.community_id,
            "requested_fen": e.requested_fen,
            "submitted_at": env.time,
        },
        state={"state": "submitted"},
        version=env.streamversion,
    )


@on(ev.ApplicationEligibilityChecked)
async def checked(
    db: asyncpg.Connection, e: ev.ApplicationEligibilityChecked, env: Envelope
) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        state={"state": "eligible" if e.eligible else "ineligible"},
        version=env.streamversion,
    )


@on(ev.ApplicationApproved)
async def approved(db: asyncpg.Connection, e: ev.ApplicationApproved, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        fill={"approved_fen": e.approved_fen},
        state={"state": "approved"},
        version=env.streamversion,
    )


@on(ev.ApplicationRejected)
async def rejected(db: asyncpg.Connection, e: ev.ApplicationRejected, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        state={"state": "rejected"},
        version=env.streamversion,
    )


@on(ev.ProjectCompleted)
async def completed(db: asyncpg.Connection, e: ev.ProjectCompleted, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        state={"state": "completed"},
        version=env.streamversion,
    )

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
    # In the fund's stream, not the application's: paid is an attribute, not a versioned state.
    await record(
        db,
        env.office,
        "disbursements",
        {"disbursement_id": e.disbursement_id},
        fill={
            "application_id": e.application_id,
            "fund_id": e.fund_id,
            "amount_fen": e.amount_fen,
            "tranche": e.tranche,
            "paid_at": env.time,
        },
    )


@on(ev.RoundOpened)
async def round_opened(db: asyncpg.Connection, e: ev.RoundOpened, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "rounds",
        {"round_id": e.round_id},
        fill={
            "fund_id": e.fund_id,
            "name": e.name,
            "budget_fen": e.budget_fen,
            "closes_at": e.closes_at,
        },
        state={"state": "open"},
        version=env.streamversion,
    )
    for community_id, budget_fen in e.community_budgets_fen.items():
        await record(
            db,
            env.office,
            "round_envelopes",
            {"round_id": e.round_id, "community_id": community_id},
            fill={"budget_fen": budget_fen},
        )


@on(ev.RoundClosed)
@on(ev.RoundCancelled)
async def round_ended(
    db: asyncpg.Connection, e: ev.RoundClosed | ev.RoundCancelled, env: Envelope
) -> None:
    # Closed early or cancelled; a cancelled round's pending applications are rejected by
    # their own events. A round past its deadline is counted closed when asked.
    await record(
        db,
        env.office,
        "rounds",
        {"round_id": e.round_id},
        fill={"fund_id": e.fund_id},
        state={"state": "cancelled" if isinstance(e, ev.RoundCancelled) else "closed"},
        version=env.streamversion,
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


@on(ev.ApplicationWithdrawn)
async def withdrawn(db: asyncpg.Connection, e: ev.ApplicationWithdrawn, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "grants",
        {"application_id": e.application_id},
        state={"state": "withdrawn"},
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


@on(ev.RoundAllocated)
async def allocated(db: asyncpg.Connection, e: ev.RoundAllocated, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "allocations",
        {"round_id": e.round_id, "application_id": e.application_id},
        fill={"amount_fen": e.amount_fen, "allocated_at": env.time},
    )


@on(ev.RoundReleased)
async def released(db: asyncpg.Connection, e: ev.RoundReleased, env: Envelope) -> None:
    # Once per grant (at its completion), whichever of it and the allocation arrives first.
    await record(
        db,
        env.office,
        "allocations",
        {"round_id": e.round_id, "application_id": e.application_id},
        fill={"released_fen": e.amount_fen},
    )


@on(ev.ApplicationReviewed)
@on(ev.ReviewerRecused)
async def reviewed(
    db: asyncpg.Connection, e: ev.ApplicationReviewed | ev.ReviewerRecused, env: Envelope
) -> None:
    # One row per review or recusal, keyed by the event; who reviewed stays in the funds service.
    review = isinstance(e, ev.ApplicationReviewed)
    await record(
        db,
        env.office,
        "reviews",
        {"review_id": env.id},
        fill={
            "application_id": e.application_id,
            "kind": "review" if review else "recusal",
            "score": e.score if isinstance(e, ev.ApplicationReviewed) else None,
            "happened_at": env.time,
        },
    )


@on(ev.DisbursementRequested)
async def requested(db: asyncpg.Connection, e: ev.DisbursementRequested, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "disbursements",
        {"disbursement_id": e.disbursement_id},
        fill={
            "application_id": e.application_id,
            "fund_id": e.fund_id,
            "amount_fen": e.amount_fen,
            "tranche": e.tranche,
            "approvals_required": e.approvals_required,
            "requested_at": env.time,
        },
        state={"state": "requested"},
        latest={"changed_at": env.time},
        version=env.streamversion,
    )


def _tranche_becomes(state: str):  # type: ignore[no-untyped-def]
    async def apply(db: asyncpg.Connection, e: ev.DisbursementApproved, env: Envelope) -> None:
        await record(
            db,
            env.office,
            "disbursements",
            {"disbursement_id": e.disbursement_id},
            fill={"application_id": e.application_id},
            state={"state": state},
            latest={"changed_at": env.time},
            version=env.streamversion,
        )

    return apply


for _event, _state in (
    (ev.DisbursementApproved, "approved"),
    (ev.DisbursementCancelled, "cancelled"),
):
    on(_event)(_tranche_becomes(_state))


@on(ev.ExpenseReported)
async def expense(db: asyncpg.Connection, e: ev.ExpenseReported, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "expenses",
        {"expense_id": e.expense_id},
        fill={
            "application_id": e.application_id,
            "amount_fen": e.amount_fen,
            "category": e.category,
            "reported_at": env.time,
        },
    )


@on(ev.MidtermEvaluated)
async def evaluated(db: asyncpg.Connection, e: ev.MidtermEvaluated, env: Envelope) -> None:
    # A grant is suspended while its latest evaluation failed: counted when asked, so that an
    # evaluation never has to overwrite the grant's state (versioned by other events).
    await record(
        db,
        env.office,
        "evaluations",
        {"evaluation_id": env.id},
        fill={
            "application_id": e.application_id,
            "passed": e.passed,
            "streamversion": env.streamversion,
            "evaluated_at": env.time,
        },
    )

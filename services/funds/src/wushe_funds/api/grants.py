"""Micro-venture grant rounds (微创投) and applications: submission to completion."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request

from wushe_events.store import EventStore
from wushe_funds import awaiting, queries
from wushe_funds.commands import grants as commands
from wushe_funds.domain.application import State
from wushe_service import field_rules, paging
from wushe_service.api import AnyRole, Principal, Role, Store, acting_as, require
from wushe_service.auth import ASK_FOR_A_PERSONAL_TOKEN
from wushe_service.forbidden import Forbidden

router = APIRouter(tags=["grants"])

FundManager = Annotated[Principal, require(Role.fund_manager)]
FundStaff = Annotated[Principal, require(Role.fund_manager, Role.auditor)]
Applicant = Annotated[Principal, require(Role.coordinator, Role.fund_manager)]
Reviewer = Annotated[Principal, require(Role.reviewer)]
# Auditors read; they do not decide: a pass releases money (separation of duties).
Evaluator = Annotated[Principal, require(Role.fund_manager, Role.reviewer)]
View = dict[str, Any]
# What a reviewer's token is told when it names another reviewer, or nobody: who may, in words.
_RECUSAL_RULE = "only the reviewer themself or an admin may recuse a reviewer"
_REVIEW_RULE = "only the reviewer themself or an admin may score an application as a reviewer"
_EVALUATION_RULE = (
    "only a fund manager, an admin or a reviewer whose token names them may evaluate a project"
)


def _coordinator(who: Principal) -> UUID | None:
    """Whom a coordinator's token acts for a team as (the person it names, who must coordinate
    the team); None for fund staff, who act for any team."""
    if who.role in (Role.admin, Role.fund_manager):
        return None
    if who.person_id is None:
        raise Forbidden(
            "token_names_no_person",
            "only a team's coordinators (a token naming one of them), a fund manager or an admin "
            f"may act for a team — a {who.role.value} token acts for the teams its own person "
            f"coordinates, and this one names none: {ASK_FOR_A_PERSONAL_TOKEN}",
            role=who.role.value,
        )
    return who.person_id


def _reviewer(who: Principal, given: UUID | None, rule: str) -> UUID:
    """The reviewer a review or recusal is by: `reviewer_id` as given, else the token's person
    (a reviewer's token may name no other: a 403); a 422 naming it when neither names one."""
    reviewer = acting_as(who, given, "reviewer_id", rule=rule) or who.person_id
    if reviewer is None:
        field_rules.refuse(
            "reviewer_id",
            "name the reviewer: this token names no person to act as",
            "missing",
            where="body",
        )
    return reviewer


# Who judges or audits a grant sees the project and its reviews (scores, comments, recusals).
_STAFF = frozenset({Role.admin, Role.fund_manager, Role.reviewer, Role.auditor})


def _sees_mean(who: Principal) -> bool:
    """Whether `who` sees the mean score of an application still under review: the fund's
    staff, not its reviewers (each scores on their own), nor the team or the public."""
    return who.role in _STAFF and who.role is not Role.reviewer


async def _view(store: EventStore, application_id: UUID, who: Principal) -> View:
    # A connection of its own, after the command's: a request never holds two at once.
    async with store.connection() as db:
        return await queries.applications.application(
            db,
            application_id,
            office=store.office,
            staff=who.role in _STAFF,
            person=who.person_id,
            reviewer=who.role is Role.reviewer,
        )


@router.post("/rounds", status_code=201, summary="Open a grant round with its budget and rules")
async def open_round(body: commands.OpenRound, store: Store, _who: FundManager) -> dict[str, UUID]:
    return {"round_id": await commands.open_round(store, body, datetime.now(UTC))}


@router.get("/rounds", summary="The office's grant rounds, oldest first")
async def list_rounds(
    store: Store,
    _who: AnyRole,
    fund: UUID | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[View]:
    async with store.connection() as db:
        return await queries.rounds.rounds_list(db, fund_id=fund, limit=limit, cursor=cursor)


@router.get("/rounds/{round_id}", summary="A round: budget, committed, caps, criteria")
async def get_round(round_id: UUID, store: Store, _who: AnyRole) -> View:
    async with store.connection() as db:
        return await queries.rounds.round_for_staff(db, round_id)


@router.post(
    "/rounds/{round_id}/close",
    summary="Close a round before its deadline: no more applications; reviews, decisions "
    "and payments of those it holds go on",
)
async def close_round(
    round_id: UUID, body: commands.CloseRound, store: Store, _who: FundManager
) -> View:
    await commands.close_round(store, round_id, body, datetime.now(UTC))
    async with store.connection() as db:
        return await queries.rounds.round_for_staff(db, round_id)


@router.post(
    "/rounds/{round_id}/cancel",
    summary="Cancel a round nothing of which was approved: its pending applications end with it",
)
async def cancel_round(
    round_id: UUID, body: commands.CancelRound, store: Store, _who: FundManager
) -> View:
    ended = await commands.cancel_round(store, round_id, body, datetime.now(UTC))
    async with store.connection() as db:
        return {
            **await queries.rounds.round_for_staff(db, round_id),
            "ended_application_ids": ended,
        }


@router.post(
    "/rounds/{round_id}/applications",
    status_code=201,
    summary="Apply to an open round (one application per team)",
)
async def submit_application(
    round_id: UUID, body: commands.SubmitApplication, store: Store, who: Applicant
) -> dict[str, UUID]:
    the_id = await commands.submit_application(
        store, round_id, body, _coordinator(who), datetime.now(UTC)
    )
    return {"application_id": the_id}


@router.get("/rounds/{round_id}/applications", summary="A round's applications, oldest first")
async def list_applications(
    round_id: UUID,
    store: Store,
    who: AnyRole,
    state: State | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[View]:
    async with store.connection() as db:
        await queries.rounds.round_view(db, round_id)  # 404 for an unknown round
        return await queries.applications.applications_of_round(
            db, round_id, state=state, limit=limit, cursor=cursor, running_mean=_sees_mean(who)
        )


@router.get(
    "/teams/{team_id}/applications",
    summary="A team's applications to every round, oldest first (404 for a team neither "
    "known here nor ever applying)",
)
async def list_team_applications(
    team_id: UUID,
    store: Store,
    who: AnyRole,
    state: State | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[View]:
    async with store.connection() as db:
        return await queries.applications.applications_of_team(
            db, team_id, state=state, limit=limit, cursor=cursor, running_mean=_sees_mean(who)
        )


@router.get("/applications/{application_id}", summary="An application and its grant")
async def get_application(application_id: UUID, store: Store, who: AnyRole) -> View:
    return await _view(store, application_id, who)


@router.post(
    "/applications/{application_id}/withdraw",
    summary="Withdraw an application before it is reviewed; the team may apply again",
)
async def withdraw(application_id: UUID, store: Store, who: Applicant) -> View:
    await commands.withdraw(store, application_id, _coordinator(who), datetime.now(UTC))
    return await _view(store, application_id, who)


@router.post("/applications/{application_id}/eligibility", summary="Check eligibility")
async def check_eligibility(application_id: UUID, store: Store, who: FundManager) -> View:
    await commands.check_eligibility(store, application_id, datetime.now(UTC))
    return await _view(store, application_id, who)


@router.post(
    "/applications/{application_id}/recusals",
    status_code=201,
    summary="A reviewer recuses from an application (recorded)",
)
async def recuse(application_id: UUID, body: commands.Recuse, store: Store, who: Reviewer) -> View:
    reviewer = _reviewer(who, body.reviewer_id, _RECUSAL_RULE)
    await commands.recuse(store, application_id, body, reviewer, datetime.now(UTC))
    return await _view(store, application_id, who)


@router.post(
    "/applications/{application_id}/reviews",
    status_code=201,
    summary="Score an application on each criterion of its round, or overall (`score`)",
)
async def review(application_id: UUID, body: commands.Review, store: Store, who: Reviewer) -> View:
    reviewer = _reviewer(who, body.reviewer_id, _REVIEW_RULE)
    await commands.review(
        store, application_id, body, reviewer, who.person_or_token, datetime.now(UTC)
    )
    return await _view(store, application_id, who)


@router.post("/applications/{application_id}/approve", summary="Grant an amount")
async def approve(
    application_id: UUID, body: commands.Approve, store: Store, who: FundManager
) -> View:
    await commands.approve(store, application_id, body, datetime.now(UTC))
    return await _view(store, application_id, who)


@router.post("/applications/{application_id}/reject", summary="Reject, with a reason")
async def reject(
    application_id: UUID,
    store: Store,
    who: FundManager,
    # No body, as DESIGN §5 calls the verb: the published reason is then not-selected.
    body: commands.Reject | None = None,
) -> View:
    await commands.reject(store, application_id, body or commands.Reject(), datetime.now(UTC))
    return await _view(store, application_id, who)


@router.post(
    "/applications/{application_id}/disbursements",
    status_code=201,
    summary="Request a tranche: paid at once up to the threshold, else after two approvers",
)
async def request_disbursement(
    application_id: UUID,
    body: commands.RequestDisbursement,
    store: Store,
    request: Request,
    who: FundManager,
) -> View:
    threshold = request.app.state.runtime.settings.funds_two_approver_threshold_fen
    the_id, paid = await commands.request_disbursement(
        store, application_id, body, who.person_or_token, threshold, datetime.now(UTC)
    )
    return {"disbursement_id": the_id, "paid": paid}


@router.post(
    "/applications/{application_id}/disbursements/{disbursement_id}/approve",
    summary="Approve a tranche above the threshold (not its requester; two different people)",
)
async def approve_disbursement(
    application_id: UUID, disbursement_id: UUID, store: Store, who: FundManager
) -> View:
    paid = await commands.approve_disbursement(
        store, application_id, disbursement_id, who.person_or_token, datetime.now(UTC)
    )
    return {"disbursement_id": disbursement_id, "paid": paid}


@router.post(
    "/applications/{application_id}/disbursements/{disbursement_id}/cancel",
    summary="Withdraw a tranche still waiting for its approvers",
)
async def cancel_disbursement(
    application_id: UUID,
    disbursement_id: UUID,
    body: commands.CancelDisbursement,
    store: Store,
    who: FundManager,
) -> View:
    await commands.cancel_disbursement(
        store, application_id, disbursement_id, body, datetime.now(UTC)
    )
    return await _view(store, application_id, who)


@router.get(
    "/disbursements",
    summary="The office's tranches awaiting their approvers, the longest waiting first",
    description="Tranches asked for above the two-approver threshold, neither paid nor "
    "withdrawn: each with its grant (title, team, fund), its amount and the approvals it has "
    "and needs. Paid tranches are on each fund's public ledger.",
)
async def list_disbursements(
    store: Store,
    _who: FundStaff,
    state: Annotated[
        Literal["awaiting_approval"],
        Query(description="awaiting_approval: the one state listed here"),
    ],
    fund: UUID | None = None,
    limit: paging.Limit = 50,
    cursor: paging.Cursor = None,
) -> paging.Page[View]:
    async with store.connection() as db:
        return await awaiting.awaiting_approval(db, fund_id=fund, limit=limit, cursor=cursor)


@router.post(
    "/applications/{application_id}/expenses",
    status_code=201,
    summary="Report an expense with the SHA-256 of its receipt (the grant's team's "
    "coordinators, fund staff)",
)
async def report_expense(
    application_id: UUID, body: commands.ReportExpense, store: Store, who: Applicant
) -> dict[str, UUID]:
    expense_id = await commands.report_expense(
        store, application_id, body, _coordinator(who), datetime.now(UTC)
    )
    return {"expense_id": expense_id}


@router.post(
    "/applications/{application_id}/evaluations",
    summary="Mid-term evaluation: a pass releases the next tranche, a fail suspends it",
)
async def evaluate(
    application_id: UUID, body: commands.Evaluate, store: Store, who: Evaluator
) -> View:
    # A reviewer's token acts for its own person only (as in reviews): one naming nobody
    # could not be checked against the team's members.
    acting_as(who, None, "evaluator", rule=_EVALUATION_RULE)
    await commands.evaluate(
        store, application_id, body, who.person_or_token, who.person_id, datetime.now(UTC)
    )
    return await _view(store, application_id, who)


@router.post(
    "/applications/{application_id}/complete",
    summary="Complete with its outcomes (the grant's team's coordinators, fund staff)",
)
async def complete(
    application_id: UUID, body: commands.Complete, store: Store, who: Applicant
) -> View:
    await commands.complete(store, application_id, body, _coordinator(who), datetime.now(UTC))
    return await _view(store, application_id, who)

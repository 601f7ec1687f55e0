"""Micro-venture grant rounds (微创投) and their applications, from submission to completion.

A command that moves money loads the application, its round and then (under the fund's lock)
the fund, and appends to each stream it changes with its expected version, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID, uuid4

from pydantic import Field, ValidationInfo, field_validator

from wushe_events.aggregate import Loaded, change, load, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.base import LongText, Name, Slug, UtcDatetime
from wushe_events.catalogue.vocabulary import ExpenseCategory
from wushe_events.store import EventStore, Transaction
from wushe_funds import store
from wushe_funds.commands import (
    Command,
    PositiveWholeFen,
    PublicBudgetLine,
    PublicName,
    PublicSlug,
)
from wushe_funds.domain import application as app
from wushe_funds.domain import fund as funds
from wushe_funds.domain import round as rounds
from wushe_service import communities
from wushe_service.identity import PublicLongText


class OpenRound(Command):
    fund_id: UUID
    name: Name | None = None
    budget_fen: PositiveWholeFen
    themes: list[Name] = Field(min_length=1)
    closes_at: UtcDatetime
    per_project_cap_fen: PositiveWholeFen | None = None
    criteria: list[PublicSlug] = Field(
        default_factory=lambda: ["need", "feasibility", "budget"],
        min_length=1,
        description="what reviewers score, 0-100 each",
    )
    community_budgets_fen: dict[Slug, PositiveWholeFen] = Field(
        default_factory=dict,
        max_length=1000,
        description="envelopes: the part of the budget each community's projects may be "
        "granted, by community id (together within the budget); a round with envelopes "
        "takes applications from those communities only. Empty: one budget for all",
    )


class CloseRound(Command):
    reason: PublicSlug = Field(
        description="a code, published with the round's close: e.g. budget-committed, "
        "enough-applications"
    )
    note: LongText | None = Field(
        None, description="the manager's own words, kept for staff, never published"
    )


class CancelRound(Command):
    reason: PublicSlug = Field(
        description="a code, published with the cancellation: e.g. fund-short, "
        "policy-changed, opened-by-mistake"
    )
    note: LongText | None = Field(
        None, description="the manager's own words, kept for staff, never published"
    )


class SubmitApplication(Command):
    team_id: UUID
    community_id: Slug
    title: PublicName
    summary: PublicLongText | None = Field(None, description="published: no personal data")
    theme: Name | None = None
    requested_fen: PositiveWholeFen
    budget_lines: list[PublicBudgetLine] = Field(
        min_length=1, description="what the money is for; they add up to requested_fen"
    )
    need_ids: list[UUID] = Field(default_factory=list)

    @field_validator("budget_lines")
    @classmethod
    def _add_up(cls, lines: list[PublicBudgetLine], info: ValidationInfo) -> list[PublicBudgetLine]:
        # Checked here, not only at eligibility: an application that cannot be eligible would
        # hold the team's one place in the round.
        requested = info.data.get("requested_fen")
        total = sum(line.amount_fen for line in lines)
        if requested is not None and total != requested:
            raise ValueError(f"the budget lines add up to {total} fen, not {requested}")
        return lines


class Recuse(Command):
    reviewer_id: UUID | None = Field(
        None,
        description="the reviewer recusing; left out, the person the token names (a reviewer's "
        "token may name no other)",
    )
    reason: PublicSlug = "conflict-of-interest"


class Review(Command):
    reviewer_id: UUID | None = Field(
        None,
        description="the reviewer scoring; left out, the person the token names (a reviewer's "
        "token may name no other)",
    )
    score: int | None = Field(
        None,
        ge=0,
        le=100,
        description="the overall score, 0-100 (DESIGN §5): alone, the review is recorded "
        "without criterion scores; with scores, it must be their mean rounded to a whole point",
    )
    scores: dict[Slug, int] = Field(
        default_factory=dict,
        description="per criterion of the round, 0-100: every criterion, or none with score",
    )
    comments: LongText | None = Field(
        None, description="kept in the funds database for staff, never published"
    )


class Approve(Command):
    approved_fen: PositiveWholeFen


class Reject(Command):
    reason: PublicSlug = Field(
        "not-selected", description="published: e.g. not-selected, off-theme, budget-unclear"
    )
    note: LongText | None = Field(
        None, description="the manager's own words, kept for staff, never published"
    )


class RequestDisbursement(Command):
    amount_fen: PositiveWholeFen


class CancelDisbursement(Command):
    reason: PublicSlug = Field(description="e.g. fund-short, amount-wrong")


class ReportExpense(Command):
    amount_fen: PositiveWholeFen
    category: ExpenseCategory
    receipt_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="one receipt backs one expense in the office"
    )


class Evaluate(Command):
    passed: bool


class Complete(Command):
    beneficiaries: int = Field(ge=0)
    activities: int = Field(ge=0)


async def _change(
    store_: EventStore,
    application_id: UUID,
    decide: Callable[[app.Application | None], Sequence[Event]],
    now: datetime,
) -> None:
    await change(
        store_, "application", str(application_id), app.evolve, decide, now=now, attempts=10
    )


async def _application(tx: Transaction, application_id: UUID) -> Loaded[app.Application]:
    return await load(tx, "application", str(application_id), app.evolve)


async def _round(tx: Transaction, round_id: UUID) -> Loaded[rounds.Round]:
    return await load(tx, "round", str(round_id), rounds.evolve)


async def _both(
    tx: Transaction, application_id: UUID
) -> tuple[Loaded[app.Application], Loaded[rounds.Round], rounds.Round]:
    application = await _application(tx, application_id)
    found = app.found(application.state, application_id)
    round_ = await _round(tx, found.round_id)
    return application, round_, rounds.found(round_.state, found.round_id)


async def open_round(store_: EventStore, command: OpenRound, now: datetime) -> UUID:
    round_id = uuid4()
    async with store_.transaction() as tx:
        fund = await load(tx, "fund", str(command.fund_id), funds.evolve_fund)
        events = rounds.open_round(
            fund.state,
            round_id,
            command.fund_id,
            name=command.name,
            budget_fen=command.budget_fen,
            themes=command.themes,
            closes_at=command.closes_at,
            per_project_cap_fen=command.per_project_cap_fen,
            criteria=command.criteria,
            community_budgets_fen=command.community_budgets_fen,
            now=now,
        )
        for community_id in command.community_budgets_fen:
            await communities.known(tx.raw, community_id, "community_budgets_fen")
        await tx.append(0, events, now=now)
    return round_id


async def close_round(
    store_: EventStore, round_id: UUID, command: CloseRound, now: datetime
) -> None:
    async def work(tx: Transaction) -> None:
        # Submissions hold the round's lock shared: none is half-way while it closes.
        await store.locks.lock_round(tx.raw, round_id)
        round_ = await _round(tx, round_id)
        events = rounds.close(rounds.found(round_.state, round_id), command.reason, now)
        await tx.append(round_.version, events, now=now)
        if command.note:
            await store.notes.keep_round_note(tx.raw, round_id, "closed", command.note, now)

    await transacting(store_, work, attempts=10)


async def cancel_round(
    store_: EventStore, round_id: UUID, command: CancelRound, now: datetime
) -> list[UUID]:
    """The applications that ended with the round. Its pending ones are rejected in the same
    transaction; an approval racing it appends to the round's stream too, so one of the two
    is refused."""

    async def work(tx: Transaction) -> list[UUID]:
        await store.locks.lock_round(tx.raw, round_id)
        round_ = await _round(tx, round_id)
        found = rounds.found(round_.state, round_id)
        ended: list[tuple[UUID, int, list[Event]]] = []
        for the_id in await store.applications.applications_of(tx.raw, round_id):
            loaded = await _application(tx, the_id)
            if loaded.state is not None and (events := app.end_with_round(loaded.state)):
                ended.append((the_id, loaded.version, events))
        pending = [the_id for the_id, _, _ in ended]
        cancelled = rounds.cancel(found, command.reason, pending)
        # The applications' streams before the round's, in the order an approval (or a
        # completion) appends to them: two transactions never wait on each other in a cycle.
        for _, version, events in ended:
            await tx.append(version, events, now=now)
        await tx.append(round_.version, cancelled, now=now)
        if command.note:
            await store.notes.keep_round_note(tx.raw, round_id, "cancelled", command.note, now)
        return pending

    return await transacting(store_, work, attempts=10)


async def _coordinates(tx: Transaction, team_id: UUID, coordinator: UUID | None) -> bool:
    """`coordinator`: the person a coordinator's token names; None for fund staff."""
    return coordinator is None or await store.teams.is_coordinator(tx.raw, team_id, coordinator)


async def submit_application(
    store_: EventStore,
    round_id: UUID,
    command: SubmitApplication,
    coordinator: UUID | None,
    now: datetime,
) -> UUID:
    the_id = rounds.application_id(round_id, command.team_id)

    async def work(tx: Transaction) -> None:
        await store.locks.lock_round(tx.raw, round_id, shared=True)
        round_ = await _round(tx, round_id)
        existing = await _application(tx, the_id)
        team_known = await store.teams.team_name(tx.raw, command.team_id) is not None
        coordinates = await _coordinates(tx, command.team_id, coordinator)
        fund = (
            await load(tx, "fund", str(round_.state.fund_id), funds.evolve_fund)
            if round_.state
            else None
        )
        events = app.submit(
            round_.state,
            existing.state,
            round_id,
            command.team_id,
            team_known,
            coordinates=coordinates,
            community_known=await communities.get(tx.raw, command.community_id) is not None,
            fund_community=fund.state.community_id if fund and fund.state else None,
            community_id=command.community_id,
            title=command.title,
            requested_fen=command.requested_fen,
            summary=command.summary,
            theme=command.theme,
            budget_lines=command.budget_lines,
            need_ids=command.need_ids,
            now=now,
        )
        # Of two racing submissions of one team (or two after a withdrawal), one appends at
        # the expected version; the other retries, sees it, and is refused.
        await tx.append(existing.version, events, now=now)

    await transacting(store_, work, attempts=10)
    return the_id


async def withdraw(
    store_: EventStore, application_id: UUID, coordinator: UUID | None, now: datetime
) -> None:
    async def work(tx: Transaction) -> None:
        application = await _application(tx, application_id)
        found = app.found(application.state, application_id)
        coordinates = await _coordinates(tx, found.team_id, coordinator)
        events = app.withdraw(found, application_id, coordinates)
        await tx.append(application.version, events, now=now)

    await transacting(store_, work, attempts=10)


async def check_eligibility(store_: EventStore, application_id: UUID, now: datetime) -> None:
    async def work(tx: Transaction) -> None:
        application, _, round_ = await _both(tx, application_id)
        assert application.state is not None
        team_known = await store.teams.team_name(tx.raw, application.state.team_id) is not None
        events = app.check_eligibility(application.state, application_id, round_, team_known)
        await tx.append(application.version, events, now=now)

    await transacting(store_, work, attempts=10)


async def recuse(
    store_: EventStore, application_id: UUID, command: Recuse, reviewer_id: UUID, now: datetime
) -> None:
    await _change(
        store_,
        application_id,
        lambda state: app.recuse(state, application_id, reviewer_id, command.reason),
        now,
    )


async def review(
    store_: EventStore,
    application_id: UUID,
    command: Review,
    reviewer_id: UUID,
    reviewed_by: UUID,
    now: datetime,
) -> None:
    async def work(tx: Transaction) -> None:
        application, _, round_ = await _both(tx, application_id)
        assert application.state is not None
        in_team = await store.teams.is_member(tx.raw, application.state.team_id, reviewer_id)
        events = app.review(
            application.state,
            application_id,
            round_,
            reviewer_id,
            in_team,
            command.scores,
            reviewed_by,
            command.score,
        )
        await tx.append(application.version, events, now=now)
        if command.comments:
            reviewer = str(reviewer_id)
            await store.notes.keep_comments(tx.raw, application_id, reviewer, command.comments, now)

    await transacting(store_, work, attempts=10)


async def approve(
    store_: EventStore, application_id: UUID, command: Approve, now: datetime
) -> None:
    async def work(tx: Transaction) -> None:
        application, round_, state = await _both(tx, application_id)
        approved, allocated = app.approve(
            application.state, application_id, state, command.approved_fen
        )
        await tx.append(application.version, approved, now=now)
        # The round's version serialises approvals competing for its budget.
        await tx.append(round_.version, allocated, now=now)

    await transacting(store_, work, attempts=10)


async def reject(store_: EventStore, application_id: UUID, command: Reject, now: datetime) -> None:
    async def work(tx: Transaction) -> None:
        application = await _application(tx, application_id)
        events = app.reject(application.state, application_id, command.reason)
        await tx.append(application.version, events, now=now)
        if command.note:
            await store.notes.keep_rejection_note(tx.raw, application_id, command.note, now)

    await transacting(store_, work, attempts=10)


async def request_disbursement(
    store_: EventStore,
    application_id: UUID,
    command: RequestDisbursement,
    requested_by: UUID,
    threshold_fen: int,
    now: datetime,
) -> tuple[UUID, bool]:
    """The new disbursement's id, and whether it was paid at once."""
    disbursement_id = uuid4()
    paid = await _pay(
        store_,
        application_id,
        lambda state, fund, round_, counterpart: app.request_disbursement(
            state,
            application_id,
            fund,
            round_,
            disbursement_id,
            command.amount_fen,
            requested_by,
            counterpart,
            threshold_fen,
        ),
        now,
    )
    return disbursement_id, paid


async def approve_disbursement(
    store_: EventStore, application_id: UUID, disbursement_id: UUID, approver: UUID, now: datetime
) -> bool:
    """Whether this approval paid it."""
    return await _pay(
        store_,
        application_id,
        lambda state, fund, round_, counterpart: app.approve_disbursement(
            state, application_id, fund, round_, disbursement_id, approver, counterpart
        ),
        now,
    )


Payment = Callable[
    [app.Application, funds.Fund | None, rounds.Round, str | None],
    tuple[Sequence[Event], Sequence[Event]],
]


async def _pay(store_: EventStore, application_id: UUID, decide: Payment, now: datetime) -> bool:
    """Load the application, its round and, under the fund's lock, the fund; append what
    `decide` gives the application and the fund (their counterpart: the team). Whether it paid."""

    async def work(tx: Transaction) -> bool:
        application, _, round_ = await _both(tx, application_id)
        assert application.state is not None
        await store.locks.lock_fund(tx.raw, round_.fund_id)
        fund = await load(tx, "fund", str(round_.fund_id), funds.evolve_fund)
        counterpart = await store.teams.team_name(tx.raw, application.state.team_id)
        to_application, to_fund = decide(application.state, fund.state, round_, counterpart)
        await tx.append(application.version, to_application, now=now)
        await tx.append(fund.version, to_fund, now=now)
        return bool(to_fund)

    return await transacting(store_, work, attempts=10)


async def cancel_disbursement(
    store_: EventStore,
    application_id: UUID,
    disbursement_id: UUID,
    command: CancelDisbursement,
    now: datetime,
) -> None:
    await _change(
        store_,
        application_id,
        lambda state: app.cancel_disbursement(
            state, application_id, disbursement_id, command.reason
        ),
        now,
    )


async def _acting_for_team(
    tx: Transaction, application_id: UUID, coordinator: UUID | None
) -> Loaded[app.Application]:
    """The application, once the caller may act for its team: one of its own coordinators
    (`coordinator`, the person their token names) or fund staff (None)."""
    application = await _application(tx, application_id)
    found = app.found(application.state, application_id)
    app.may_act_for(found.team_id, await _coordinates(tx, found.team_id, coordinator))
    return application


async def report_expense(
    store_: EventStore,
    application_id: UUID,
    command: ReportExpense,
    coordinator: UUID | None,
    now: datetime,
) -> UUID:
    expense_id = uuid4()

    async def work(tx: Transaction) -> None:
        application = await _acting_for_team(tx, application_id, coordinator)
        claimed_by = await store.receipts.receipt_claimed_by(tx.raw, command.receipt_sha256)
        events = app.report_expense(
            application.state,
            application_id,
            expense_id,
            command.amount_fen,
            command.category,
            command.receipt_sha256,
            claimed_by,
        )
        await tx.append(application.version, events, now=now)

    await transacting(store_, work, attempts=10)
    return expense_id


async def evaluate(
    store_: EventStore,
    application_id: UUID,
    command: Evaluate,
    evaluator: UUID,
    person_id: UUID | None,
    now: datetime,
) -> None:
    """`evaluator`: whom "not the tranche's requester" counts; `person_id`: the person the
    caller's token names, checked against the applying team's members."""

    async def work(tx: Transaction) -> None:
        application = await _application(tx, application_id)
        found = app.found(application.state, application_id)
        in_team = person_id is not None and await store.teams.is_member(
            tx.raw, found.team_id, person_id
        )
        events = app.evaluate(found, application_id, command.passed, evaluator, in_team=in_team)
        await tx.append(application.version, events, now=now)

    await transacting(store_, work, attempts=10)


async def complete(
    store_: EventStore,
    application_id: UUID,
    command: Complete,
    coordinator: UUID | None,
    now: datetime,
) -> None:
    async def work(tx: Transaction) -> None:
        await _acting_for_team(tx, application_id, coordinator)
        application, round_, state = await _both(tx, application_id)
        completed, released = app.complete(
            application.state, application_id, state, command.beneficiaries, command.activities
        )
        await tx.append(application.version, completed, now=now)
        await tx.append(round_.version, released, now=now)

    await transacting(store_, work, attempts=10)

"""A micro-venture grant application: submission, eligibility, reviews, decision, tranches,
expenses, mid-term evaluation and completion. Money leaves through the fund's stream
(`fund.disburse`); the application's stream keeps what was asked, approved and spent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import (
    ApplicationApproved,
    ApplicationEligibilityChecked,
    ApplicationRejected,
    ApplicationReviewed,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    BudgetLine,
    DisbursementApproved,
    DisbursementCancelled,
    DisbursementRequested,
    ExpenseReported,
    MidtermEvaluated,
    ProjectCompleted,
    ReviewerRecused,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_funds.domain import fund as funds
from wushe_funds.domain import round as rounds
from wushe_funds.domain.fund import Fund
from wushe_funds.domain.round import Round
from wushe_funds.domain.short import short_of


class State(StrEnum):
    submitted = "submitted"
    eligible = "eligible"
    ineligible = "ineligible"
    approved = "approved"
    rejected = "rejected"
    completed = "completed"
    withdrawn = "withdrawn"  # by its team before review: the team may apply again


@dataclass(frozen=True)
class Disbursement:
    disbursement_id: UUID
    amount_fen: int
    tranche: int
    requested_by: UUID
    approvals_required: int
    approvals: tuple[UUID, ...] = ()

    @property
    def paid(self) -> bool:
        return len(self.approvals) >= self.approvals_required


@dataclass(frozen=True)
class Application:
    application_id: UUID
    round_id: UUID
    team_id: UUID
    community_id: str
    title: str
    requested_fen: int
    budget_lines: tuple[BudgetLine, ...]
    summary: str | None = None
    theme: str | None = None
    need_ids: tuple[UUID, ...] = ()
    state: State = State.submitted
    reasons: tuple[str, ...] = ()
    rejected_because: str | None = None
    reviews: Mapping[str, int] = field(default_factory=dict)  # each review's rounded mean
    scores: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # per criterion
    recused: frozenset[str] = frozenset()
    recusals: Mapping[str, str] = field(default_factory=dict)  # reviewer: reason
    reviewed_by: frozenset[UUID] = frozenset()  # the tokens that recorded the reviews
    approved_fen: int = 0
    disbursements: tuple[Disbursement, ...] = ()
    tranches_released: int = 0
    suspended: bool = False
    expenses_fen: int = 0

    @property
    def mean_score(self) -> float | None:
        """The mean of the reviews' means, from the criterion scores, rounded once (to two
        decimals): 88/82/75 and 90/85/80 give 83.33, not the 84 of rounding each review first.
        A review recorded without criterion scores counts with its score."""
        if not self.reviews:
            return None
        means = [
            sum(self.scores[r].values()) / len(self.scores[r]) if self.scores.get(r) else score
            for r, score in self.reviews.items()
        ]
        return round(sum(means) / len(means), 2)

    def review_mean(self, reviewer: str) -> float:
        """A review's mean, from its criterion scores, to two decimals as `mean_score` (the
        event's `score` is rounded to a whole point)."""
        scores = self.scores.get(reviewer)
        return round(sum(scores.values()) / len(scores), 2) if scores else self.reviews[reviewer]

    @property
    def committed_fen(self) -> int:
        """Paid out, or asked for and awaiting its approvers."""
        return sum(d.amount_fen for d in self.disbursements)

    @property
    def disbursed_fen(self) -> int:
        return sum(d.amount_fen for d in self.disbursements if d.paid)

    def disbursement(self, disbursement_id: UUID) -> Disbursement:
        for one in self.disbursements:
            if one.disbursement_id == disbursement_id:
                return one
        raise NotFound("disbursement", disbursement_id)


def found(application: Application | None, application_id: UUID) -> Application:
    if application is None:
        raise NotFound("application", application_id)
    return application


def _in_state(application: Application, *states: State) -> None:
    if application.state not in states:
        wanted = " or ".join(states)
        raise RuleBroken(
            f"application_{application.state}",
            f"application {application.application_id} is {application.state}, not {wanted}",
        )


def may_act_for(team_id: UUID, coordinates: bool) -> None:
    """A team's application is made, withdrawn, by its own coordinators (or fund staff, for
    whom `coordinates` is true): not by another team's, who could squat its place."""
    if not coordinates:
        raise RuleBroken(
            "not_team_coordinator",
            f"only a coordinator of team {team_id} (or fund staff) may act for its application",
        )


def submit(
    round_: Round | None,
    existing: Application | None,
    round_id: UUID,
    team_id: UUID,
    team_known: bool,
    *,
    coordinates: bool,
    fund_community: str | None = None,
    community_known: bool = True,
    community_id: str,
    title: str,
    requested_fen: int,
    summary: str | None,
    theme: str | None,
    budget_lines: Sequence[BudgetLine],
    need_ids: list[UUID],
    now: datetime,
) -> list[Event]:
    round_ = rounds.found(round_, round_id)
    may_act_for(team_id, coordinates)
    if existing is not None and existing.state is not State.withdrawn:
        raise RuleBroken("one_application_per_team", f"team {team_id} applied to this round")
    rounds.takes_applications(round_, now)
    if not team_known:
        raise RuleBroken("team_unknown", f"team {team_id} is not (yet) known to this service")
    if not community_known:
        raise RuleBroken(
            "community_unknown",
            f"community_id: no community {community_id!r} is known here (yet): the needs "
            "service registers communities, and this service learns of them from its events",
        )
    if round_.community_budgets_fen and community_id not in round_.community_budgets_fen:
        raise RuleBroken(
            "community_not_in_round",
            f"community_id: round {round_id} grants projects in "
            f"{', '.join(sorted(round_.community_budgets_fen))} only, not in {community_id}",
        )
    if requested_fen > round_.cap_in(community_id):
        within = (
            f" (community {community_id}'s envelope)"
            if round_.cap_in(community_id) < round_.cap_fen
            else ""
        )
        raise short_of(
            "project_cap_exceeded",
            f"round {round_id} grants at most {round_.cap_in(community_id)} fen{within}",
            cap_fen=round_.cap_in(community_id),
        )
    if theme is not None and theme not in round_.themes:
        raise InvalidReference("theme", f"round {round_id} has no theme {theme}")
    if fund_community is not None and community_id != fund_community:
        raise RuleBroken(
            "community_outside_fund",
            f"round {round_id} is of community {fund_community}'s fund: a project there only",
        )
    return [
        ApplicationSubmitted(
            application_id=rounds.application_id(round_id, team_id),
            round_id=round_id,
            team_id=team_id,
            community_id=community_id,
            title=title,
            requested_fen=requested_fen,
            summary=summary,
            theme=theme,
            budget_lines=list(budget_lines),
            need_ids=need_ids,
        )
    ]


def withdraw(
    application: Application | None, application_id: UUID, coordinates: bool
) -> list[Event]:
    """Before any review or decision, so that a team locked out (ineligible) can apply again."""
    application = found(application, application_id)
    may_act_for(application.team_id, coordinates)
    _in_state(application, State.submitted, State.eligible, State.ineligible)
    if application.reviews:
        raise RuleBroken(
            "already_reviewed", "an application under review is decided, not withdrawn"
        )
    return [
        ApplicationWithdrawn(
            application_id=application_id,
            round_id=application.round_id,
            team_id=application.team_id,
        )
    ]


# An application still awaiting a decision: what a cancelled round's end takes with it.
PENDING = frozenset({State.submitted, State.eligible, State.ineligible})


def end_with_round(application: Application) -> list[Event]:
    """A pending application of a cancelled round is refused with it (`round-cancelled`)."""
    if application.state not in PENDING:
        return []
    return [
        ApplicationRejected(application_id=application.application_id, reason="round-cancelled")
    ]


def check_eligibility(
    application: Application | None, application_id: UUID, round_: Round, team_active: bool
) -> list[Event]:
    application = found(application, application_id)
    _in_state(application, State.submitted, State.ineligible, State.eligible)
    if application.reviews:
        raise RuleBroken("already_reviewed", "eligibility is settled once reviews began")
    reasons = []
    if not team_active:
        reasons.append("team-unknown")
    if not application.budget_lines:
        reasons.append("budget-lines-missing")
    elif sum(line.amount_fen for line in application.budget_lines) != application.requested_fen:
        reasons.append("budget-lines-do-not-add-up")
    if application.requested_fen > round_.cap_fen:
        reasons.append("project-cap-exceeded")
    return [
        ApplicationEligibilityChecked(
            application_id=application_id, eligible=not reasons, reasons=reasons
        )
    ]


def recuse(
    application: Application | None, application_id: UUID, reviewer_id: UUID, reason: str
) -> list[Event]:
    application = found(application, application_id)
    _in_state(application, State.eligible)  # while it can be reviewed, as `review`
    if str(reviewer_id) in application.reviews:
        raise RuleBroken("already_reviewed", f"reviewer {reviewer_id} has reviewed it")
    if str(reviewer_id) in application.recused:
        raise RuleBroken("already_recused", f"reviewer {reviewer_id} has recused")
    return [
        ReviewerRecused(application_id=application_id, reviewer_id=str(reviewer_id), reason=reason)
    ]


def review(
    application: Application | None,
    application_id: UUID,
    round_: Round,
    reviewer_id: UUID,
    in_team: bool,
    scores: Mapping[str, int],
    reviewed_by: UUID,
    score: int | None = None,
) -> list[Event]:
    """`reviewed_by`: the caller's token. A token names a role, not a person, so the reviewer
    is named in the request; a token may still review an application only once, so one
    caller cannot weigh in under several names. `score`: the overall score (DESIGN §5's
    request field), alone — recorded with no criterion scores — or with `scores`, whose
    rounded mean it must be."""
    application = found(application, application_id)
    _in_state(application, State.eligible)
    reviewer = str(reviewer_id)
    if reviewed_by in application.reviewed_by:
        raise RuleBroken("already_reviewed", "this token has recorded a review of it")
    if in_team:
        raise RuleBroken(
            "reviewer_in_team",
            f"reviewer {reviewer_id} belongs to team {application.team_id}: recuse instead",
        )
    if reviewer in application.recused:
        raise RuleBroken("reviewer_recused", f"reviewer {reviewer_id} recused from it")
    if reviewer in application.reviews:
        raise RuleBroken("already_reviewed", f"reviewer {reviewer_id} has reviewed it")
    return [
        ApplicationReviewed(
            application_id=application_id,
            reviewer_id=reviewer,
            score=_overall(round_, scores, score),
            scores=dict(scores),
            reviewed_by=reviewed_by,
        )
    ]


def _overall(round_: Round, scores: Mapping[str, int], score: int | None) -> int:
    """A review's overall score: the mean of its criterion scores, rounded (half to even, as
    it always was), or the one given alone."""
    if score is not None and not 0 <= score <= 100:
        raise InvalidReference("score", "a score is 0 to 100")
    if not scores:
        if score is None:
            raise InvalidReference(
                "scores",
                f"score each criterion ({', '.join(round_.criteria)}) in scores, "
                "or give the overall score in score, 0 to 100",
            )
        return score
    if set(scores) != set(round_.criteria):
        raise InvalidReference("scores", f"score each criterion: {', '.join(round_.criteria)}")
    if any(not 0 <= s <= 100 for s in scores.values()):
        raise InvalidReference("scores", "a score is 0 to 100")
    exact = sum(scores.values()) / len(scores)
    # Within half a point: a mean of exactly 82.5 may be given as 82 or 83, however the
    # client rounds; the event keeps our rounding, so that `score` reads the same everywhere.
    if score is not None and abs(score - exact) > 0.5:
        raise InvalidReference(
            "score",
            f"score is the mean of scores rounded to a whole point: {round(exact)}, not {score}",
            "score_not_mean_of_scores",
        )
    return round(exact)


def approve(
    application: Application | None, application_id: UUID, round_: Round, approved_fen: int
) -> tuple[list[Event], list[Event]]:
    """The application's events and the round's (its budget committed)."""
    application = found(application, application_id)
    _in_state(application, State.eligible)
    if not application.reviews:
        raise RuleBroken("not_reviewed", f"application {application_id} has no review yet")
    if approved_fen > application.requested_fen:
        raise RuleBroken(
            "approval_exceeds_request",
            f"approved {approved_fen} fen exceeds the {application.requested_fen} requested",
        )
    allocated = rounds.allocate(round_, application_id, application.community_id, approved_fen)
    approved = ApplicationApproved(
        application_id=application_id, approved_fen=approved_fen, round_id=round_.round_id
    )
    return [approved], allocated


def reject(application: Application | None, application_id: UUID, reason: str) -> list[Event]:
    application = found(application, application_id)
    _in_state(application, State.submitted, State.eligible, State.ineligible)
    return [ApplicationRejected(application_id=application_id, reason=reason)]


def _payable(application: Application) -> None:
    _in_state(application, State.approved)
    if application.suspended:
        raise RuleBroken(
            "grant_suspended", "the mid-term evaluation failed: disbursements are suspended"
        )


def request_disbursement(
    application: Application | None,
    application_id: UUID,
    fund: Fund | None,
    round_: Round,
    disbursement_id: UUID,
    amount_fen: int,
    requested_by: UUID,
    counterpart: str | None,
    two_approver_threshold_fen: int,
) -> tuple[list[Event], list[Event]]:
    """The application's events and the fund's: paid at once up to the threshold, else once
    two approvers other than the requester have approved."""
    application = found(application, application_id)
    _payable(application)
    tranche = len(application.disbursements) + 1
    if tranche > application.tranches_released:
        raise RuleBroken(
            "tranche_not_released",
            f"tranche {tranche} is released by a passed mid-term evaluation",
        )
    left = application.approved_fen - application.committed_fen
    if amount_fen > left:
        raise short_of(
            "grant_exceeded",
            f"application {application_id} has {left} fen of its grant left",
            left_fen=left,
        )
    required = 2 if amount_fen > two_approver_threshold_fen else 0
    requested = DisbursementRequested(
        disbursement_id=disbursement_id,
        application_id=application_id,
        fund_id=round_.fund_id,
        amount_fen=amount_fen,
        tranche=tranche,
        requested_by=requested_by,
        approvals_required=required,
    )
    paid = [] if required else _pay(application, fund, round_, requested, counterpart)
    return [requested], paid


def _pay(
    application: Application,
    fund: Fund | None,
    round_: Round,
    request: DisbursementRequested | Disbursement,
    counterpart: str | None,
) -> list[Event]:
    return funds.disburse(
        fund,
        round_.fund_id,
        request.disbursement_id,
        application.application_id,
        request.amount_fen,
        round_id=round_.round_id,
        tranche=request.tranche,
        purpose=application.title,
        counterpart=counterpart,
    )


def approve_disbursement(
    application: Application | None,
    application_id: UUID,
    fund: Fund | None,
    round_: Round,
    disbursement_id: UUID,
    approver: UUID,
    counterpart: str | None,
) -> tuple[list[Event], list[Event]]:
    application = found(application, application_id)
    _payable(application)
    request = application.disbursement(disbursement_id)
    if request.paid:
        raise RuleBroken("disbursement_paid", f"disbursement {disbursement_id} is paid")
    if approver == request.requested_by:
        raise RuleBroken("requester_cannot_approve", "the requester cannot approve it too")
    if approver in request.approvals:
        raise RuleBroken("two_different_approvers", f"{approver} has approved it already")
    approved = DisbursementApproved(
        disbursement_id=disbursement_id, application_id=application_id, approved_by=approver
    )
    last = len(request.approvals) + 1 >= request.approvals_required
    paid = _pay(application, fund, round_, request, counterpart) if last else []
    return [approved], paid


def cancel_disbursement(
    application: Application | None, application_id: UUID, disbursement_id: UUID, reason: str
) -> list[Event]:
    application = found(application, application_id)
    if application.disbursement(disbursement_id).paid:
        raise RuleBroken("disbursement_paid", f"disbursement {disbursement_id} is paid")
    return [
        DisbursementCancelled(
            disbursement_id=disbursement_id, application_id=application_id, reason=reason
        )
    ]


def report_expense(
    application: Application | None,
    application_id: UUID,
    expense_id: UUID,
    amount_fen: int,
    category: str,
    receipt_sha256: str,
    claimed_by: UUID | None,
) -> list[Event]:
    """`claimed_by`: the application whose expense claimed this receipt already, if any."""
    application = found(application, application_id)
    _in_state(application, State.approved, State.completed)
    if claimed_by is not None:
        raise RuleBroken(
            "receipt_already_claimed",
            f"an expense of application {claimed_by} claimed this receipt",
        )
    if application.expenses_fen + amount_fen > application.disbursed_fen:
        raise short_of(
            "expense_beyond_disbursed",
            f"expenses would exceed the {application.disbursed_fen} fen disbursed",
            unreported_fen=application.disbursed_fen - application.expenses_fen,
        )
    return [
        ExpenseReported(
            expense_id=expense_id,
            application_id=application_id,
            amount_fen=amount_fen,
            category=category,
            receipt_sha256=receipt_sha256,
        )
    ]


def evaluate(
    application: Application | None,
    application_id: UUID,
    passed: bool,
    evaluator: UUID,
    *,
    in_team: bool,
) -> list[Event]:
    """`in_team`: the evaluator belongs to the applying team. A pass releases its money and a
    fail suspends it, so the conflict-of-interest rule of reviews holds here too."""
    application = found(application, application_id)
    _in_state(application, State.approved)
    if in_team:
        raise RuleBroken(
            "evaluator_in_team",
            f"evaluator {evaluator} belongs to team {application.team_id}: another evaluates it",
        )
    if not application.disbursed_fen:
        raise RuleBroken("nothing_disbursed", "a mid-term evaluation follows a first tranche")
    if passed:
        # A pass releases money: once per tranche paid, and not by the one who asked for it
        # (else one person could split a grant into tranches under the two-approver threshold).
        # After a fail it lifts the suspension, releasing the next tranche only if not yet.
        if not application.suspended and _next_released(application):
            raise RuleBroken(
                "tranche_already_released",
                f"tranche {application.tranches_released} is released and not yet paid",
            )
        latest = application.disbursements[-1]
        if not latest.paid:
            raise RuleBroken("tranche_not_paid", f"tranche {latest.tranche} awaits its approvers")
        if latest.requested_by == evaluator:
            raise RuleBroken(
                "evaluator_requested_tranche",
                "the one who asked for a tranche cannot pass its evaluation",
            )
    return [MidtermEvaluated(application_id=application_id, passed=passed, evaluator_id=evaluator)]


def _next_released(application: Application) -> bool:
    """Whether the tranche after those asked for is released already."""
    return application.tranches_released > len(application.disbursements)


def complete(
    application: Application | None,
    application_id: UUID,
    round_: Round,
    beneficiaries: int,
    activities: int,
) -> tuple[list[Event], list[Event]]:
    """The application's events and the round's. A completed grant is paid no more: what it
    was approved and not paid goes back to the round's budget (结余). Every fen paid must be
    accounted for by expenses first, and no tranche may still await its approvers."""
    application = found(application, application_id)
    _in_state(application, State.approved)
    pending = [d for d in application.disbursements if not d.paid]
    if pending:
        raise RuleBroken(
            "disbursement_pending",
            f"tranche {pending[0].tranche} awaits its approvers: approve or cancel it first",
        )
    if application.expenses_fen < application.disbursed_fen:
        gap = application.disbursed_fen - application.expenses_fen
        raise short_of(
            "expenses_below_disbursed",
            f"{gap} fen of the {application.disbursed_fen} disbursed has no expense reported",
            unreported_fen=gap,
            disbursed_fen=application.disbursed_fen,
            expenses_fen=application.expenses_fen,
        )
    unspent = application.approved_fen - application.disbursed_fen
    completed = ProjectCompleted(
        application_id=application_id,
        beneficiaries=beneficiaries,
        activities=activities,
        disbursed_fen=application.disbursed_fen,
        unspent_fen=unspent,
    )
    released = rounds.release(round_, application_id, application.community_id, unspent)
    return [completed], released


def _approved(state: Application, event: DisbursementApproved) -> Application:
    disbursements = tuple(
        replace(d, approvals=(*d.approvals, event.approved_by))
        if d.disbursement_id == event.disbursement_id
        else d
        for d in state.disbursements
    )
    return replace(state, disbursements=disbursements)


def evolve(state: Application | None, event: Event) -> Application:
    match event:
        case ApplicationSubmitted():  # also a team's new application after a withdrawal
            return Application(
                event.application_id,
                event.round_id,
                event.team_id,
                event.community_id,
                event.title,
                event.requested_fen,
                tuple(event.budget_lines),
                event.summary,
                event.theme,
                tuple(event.need_ids),
            )
        case ApplicationEligibilityChecked() if state is not None:
            verdict = State.eligible if event.eligible else State.ineligible
            return replace(state, state=verdict, reasons=tuple(event.reasons))
        case ReviewerRecused() if state is not None:
            return replace(
                state,
                recused=state.recused | {event.reviewer_id},
                recusals={**state.recusals, event.reviewer_id: event.reason},
            )
        case ApplicationReviewed() if state is not None:
            tokens = {event.reviewed_by} if event.reviewed_by else set()
            return replace(
                state,
                reviews={**state.reviews, event.reviewer_id: event.score},
                scores={**state.scores, event.reviewer_id: dict(event.scores)},
                reviewed_by=state.reviewed_by | tokens,
            )
        case ApplicationApproved() if state is not None:
            return replace(
                state, state=State.approved, approved_fen=event.approved_fen, tranches_released=1
            )
        case ApplicationRejected() if state is not None:
            return replace(state, state=State.rejected, rejected_because=event.reason)
        case ApplicationWithdrawn() if state is not None:
            return replace(state, state=State.withdrawn)
        case DisbursementRequested() if state is not None:
            one = Disbursement(
                event.disbursement_id,
                event.amount_fen,
                event.tranche,
                event.requested_by,
                event.approvals_required,
            )
            return replace(state, disbursements=(*state.disbursements, one))
        case DisbursementApproved() if state is not None:
            return _approved(state, event)
        case DisbursementCancelled() if state is not None:
            kept = tuple(
                d for d in state.disbursements if d.disbursement_id != event.disbursement_id
            )
            return replace(state, disbursements=kept)
        case ExpenseReported() if state is not None:
            return replace(state, expenses_fen=state.expenses_fen + event.amount_fen)
        case MidtermEvaluated() if state is not None and event.passed:
            released = state.tranches_released + (0 if _next_released(state) else 1)
            return replace(state, tranches_released=released, suspended=False)
        case MidtermEvaluated() if state is not None:
            return replace(state, suspended=True)
        case ProjectCompleted() if state is not None:
            return replace(state, state=State.completed)
    raise TypeError(f"{event.type} does not apply to an application")

"""Events of the funds service: charity funds, donations and micro-venture grants (微创投)."""

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wushe_events.catalogue.base import Event, Fen, Label, PositiveFen, Slug, UtcDatetime


class DonorKind(StrEnum):
    individual = "individual"
    enterprise = "enterprise"
    organisation = "organisation"
    government = "government"


class BudgetLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: Label
    amount_fen: Fen


class FundOpened(Event):
    type: ClassVar[str] = "wushe.funds.fund.opened.v1"
    aggregate: ClassVar[str] = "fund"

    fund_id: UUID
    community_id: Slug | None  # None: an office-wide fund
    name: Label


class DonationReceived(Event):
    """Stored in the fund's stream: the fund's balance is the invariant it changes."""

    type: ClassVar[str] = "wushe.funds.donation.received.v1"
    aggregate: ClassVar[str] = "fund"

    donation_id: UUID
    fund_id: UUID
    amount_fen: PositiveFen
    donor_kind: DonorKind
    donor_display: Label | None  # shown publicly only with the donor's consent
    channel: Slug | None = None
    receipt_number: str | None = Field(None, max_length=50)


class DonationRefunded(Event):
    """A donation (or part of it) paid back to its donor. Stored in the fund's stream."""

    type: ClassVar[str] = "wushe.funds.donation.refunded.v1"
    aggregate: ClassVar[str] = "fund"

    refund_id: UUID
    fund_id: UUID
    donation_id: UUID
    amount_fen: PositiveFen
    reason: Slug


class RoundOpened(Event):
    type: ClassVar[str] = "wushe.funds.round.opened.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    fund_id: UUID
    budget_fen: PositiveFen
    themes: list[Label] = Field(min_length=1)
    closes_at: UtcDatetime
    name: Label | None = None
    per_project_cap_fen: PositiveFen | None = None  # None: only the budget caps a project
    criteria: list[Slug] = Field(default_factory=list)  # what reviewers score, 0-100 each
    # The part of the budget each community's projects may be granted (its envelope); empty:
    # the round's budget is shared by whichever communities apply.
    community_budgets_fen: dict[Slug, PositiveFen] = Field(default_factory=dict)


class RoundAllocated(Event):
    """Part of a round's budget committed to an approved application. In the round's stream, so
    that approvals racing for the same budget serialise on its version."""

    type: ClassVar[str] = "wushe.funds.round.allocated.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    application_id: UUID
    amount_fen: PositiveFen
    community_id: Slug | None = None  # the project's community (None before envelopes)


class RoundReleased(Event):
    """The part of a grant's allocation it will never be paid (结余), back in the round's
    budget: the approved amount less what was disbursed, when the project completed."""

    type: ClassVar[str] = "wushe.funds.round.released.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    application_id: UUID
    amount_fen: PositiveFen
    community_id: Slug | None = None  # the project's community (None before envelopes)


class RoundClosed(Event):
    """A round closed before its deadline: it takes no more applications; those it holds are
    still reviewed, decided and paid."""

    type: ClassVar[str] = "wushe.funds.round.closed.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    fund_id: UUID
    reason: Slug  # a code (e.g. budget-committed); the words stay in the funds service


class RoundCancelled(Event):
    """A round called off before anything of it was approved or paid: it takes no more
    applications, and those pending ended with it (`application.rejected`, reason
    `round-cancelled`, in the same transaction)."""

    type: ClassVar[str] = "wushe.funds.round.cancelled.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    fund_id: UUID
    reason: Slug
    ended_application_ids: list[UUID] = Field(default_factory=list)


class ApplicationSubmitted(Event):
    type: ClassVar[str] = "wushe.funds.application.submitted.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    round_id: UUID
    team_id: UUID
    community_id: Slug
    title: Label
    requested_fen: PositiveFen
    summary: str | None = Field(None, max_length=2000)  # the project, as published
    theme: Label | None = None
    budget_lines: list[BudgetLine] = Field(default_factory=list)
    need_ids: list[UUID] = Field(default_factory=list)


class ApplicationEligibilityChecked(Event):
    type: ClassVar[str] = "wushe.funds.application.eligibilitychecked.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    eligible: bool
    reasons: list[Slug] = Field(default_factory=list)  # the rules it fails, when not eligible


class ReviewerRecused(Event):
    type: ClassVar[str] = "wushe.funds.application.reviewerrecused.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    reviewer_id: str
    reason: Slug


class ApplicationReviewed(Event):
    type: ClassVar[str] = "wushe.funds.application.reviewed.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    reviewer_id: str
    # The mean of `scores`, rounded; or, `scores` empty, the overall score the reviewer gave.
    score: int = Field(ge=0, le=100)
    scores: dict[str, int] = Field(default_factory=dict)  # per criterion of the round, 0-100
    reviewed_by: UUID | None = None  # the token that recorded it: one review per token


class ApplicationApproved(Event):
    type: ClassVar[str] = "wushe.funds.application.approved.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    approved_fen: PositiveFen
    round_id: UUID | None = None


class ApplicationRejected(Event):
    type: ClassVar[str] = "wushe.funds.application.rejected.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    # A slug (e.g. not-selected, off-theme) since this release; free text of earlier events
    # stays as recorded. The manager's own words are kept off the bus, in the funds database.
    reason: str | None = None


class ApplicationWithdrawn(Event):
    """Withdrawn by its team (or fund staff) before any review or decision: the team may apply
    to the round again. The application's id stays (one per team and round); a new
    `ApplicationSubmitted` in the same stream starts it over."""

    type: ClassVar[str] = "wushe.funds.application.withdrawn.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    round_id: UUID
    team_id: UUID


class DisbursementRequested(Event):
    """A tranche asked for. Above the threshold it waits for two approvers (neither the
    requester); otherwise `GrantDisbursed` pays it in the same transaction."""

    type: ClassVar[str] = "wushe.funds.disbursement.requested.v1"
    aggregate: ClassVar[str] = "application"

    disbursement_id: UUID
    application_id: UUID
    fund_id: UUID
    amount_fen: PositiveFen
    tranche: int = Field(ge=1)
    requested_by: UUID
    approvals_required: int = Field(ge=0, le=2)


class DisbursementApproved(Event):
    type: ClassVar[str] = "wushe.funds.disbursement.approved.v1"
    aggregate: ClassVar[str] = "application"

    disbursement_id: UUID
    application_id: UUID
    approved_by: UUID


class DisbursementCancelled(Event):
    """A tranche that waited for approvers, withdrawn: its amount is free again."""

    type: ClassVar[str] = "wushe.funds.disbursement.cancelled.v1"
    aggregate: ClassVar[str] = "application"

    disbursement_id: UUID
    application_id: UUID
    reason: Slug


class GrantDisbursed(Event):
    """Stored in the fund's stream: the fund's balance is the invariant it changes."""

    type: ClassVar[str] = "wushe.funds.grant.disbursed.v1"
    aggregate: ClassVar[str] = "fund"

    disbursement_id: UUID
    application_id: UUID
    fund_id: UUID
    amount_fen: PositiveFen
    round_id: UUID | None = None
    tranche: int | None = None
    purpose: Label | None = None  # as the public ledger shows it: the project's title
    counterpart: Label | None = None  # the team paid, by its public name


class ExpenseReported(Event):
    type: ClassVar[str] = "wushe.funds.expense.reported.v1"
    aggregate: ClassVar[str] = "application"

    expense_id: UUID
    application_id: UUID
    amount_fen: Fen
    category: Slug
    receipt_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class MidtermEvaluated(Event):
    """A pass releases the next tranche; a fail suspends disbursements until a later pass."""

    type: ClassVar[str] = "wushe.funds.project.evaluated.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    passed: bool
    evaluator_id: UUID


class ProjectCompleted(Event):
    type: ClassVar[str] = "wushe.funds.project.completed.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    beneficiaries: int = Field(ge=0)
    activities: int = Field(ge=0)
    # What the grant was paid in all, and the rest of its approval given back to the round
    # (`round.released`); absent on events recorded before settlement.
    disbursed_fen: Fen | None = None
    unspent_fen: Fen | None = None

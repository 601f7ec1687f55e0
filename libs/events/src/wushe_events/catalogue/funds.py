"""Events of the funds service: charity funds, donations and micro-venture grants (微创投)."""

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from wushe_events.catalogue.base import Event, Fen, Name, PositiveFen, Slug, UtcDatetime


class DonorKind(StrEnum):
    individual = "individual"
    enterprise = "enterprise"
    organisation = "organisation"
    government = "government"


class FundOpened(Event):
    type: ClassVar[str] = "wushe.funds.fund.opened.v1"
    aggregate: ClassVar[str] = "fund"

    fund_id: UUID
    community_id: Slug | None  # None: an office-wide fund
    name: Name


class DonationReceived(Event):
    """Stored in the fund's stream: the fund's balance is the invariant it changes."""

    type: ClassVar[str] = "wushe.funds.donation.received.v1"
    aggregate: ClassVar[str] = "fund"

    donation_id: UUID
    fund_id: UUID
    amount_fen: PositiveFen
    donor_kind: DonorKind
    donor_display: Name | None  # shown publicly only with the donor's consent
    channel: Slug | None = None


class RoundOpened(Event):
    type: ClassVar[str] = "wushe.funds.round.opened.v1"
    aggregate: ClassVar[str] = "round"

    round_id: UUID
    fund_id: UUID
    budget_fen: PositiveFen
    themes: list[Name] = Field(min_length=1)
    closes_at: UtcDatetime


class ApplicationSubmitted(Event):
    type: ClassVar[str] = "wushe.funds.application.submitted.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    round_id: UUID
    team_id: UUID
    community_id: Slug
    title: Name
    requested_fen: PositiveFen


class ApplicationReviewed(Event):
    type: ClassVar[str] = "wushe.funds.application.reviewed.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    reviewer_id: str
    score: int = Field(ge=0, le=100)


class ApplicationApproved(Event):
    type: ClassVar[str] = "wushe.funds.application.approved.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    approved_fen: PositiveFen


class ApplicationRejected(Event):
    type: ClassVar[str] = "wushe.funds.application.rejected.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    reason: str | None = None


class GrantDisbursed(Event):
    """Stored in the fund's stream: the fund's balance is the invariant it changes."""

    type: ClassVar[str] = "wushe.funds.grant.disbursed.v1"
    aggregate: ClassVar[str] = "fund"

    disbursement_id: UUID
    application_id: UUID
    fund_id: UUID
    amount_fen: PositiveFen


class ExpenseReported(Event):
    type: ClassVar[str] = "wushe.funds.expense.reported.v1"
    aggregate: ClassVar[str] = "application"

    expense_id: UUID
    application_id: UUID
    amount_fen: Fen
    category: Slug
    receipt_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class ProjectCompleted(Event):
    type: ClassVar[str] = "wushe.funds.project.completed.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    beneficiaries: int = Field(ge=0)
    activities: int = Field(ge=0)

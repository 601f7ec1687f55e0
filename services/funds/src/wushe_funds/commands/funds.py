"""Funds and their money: open, receive donations, refund them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from wushe_events.aggregate import fold, load
from wushe_events.catalogue.base import Name, Note, Slug
from wushe_events.catalogue.funds import DonorKind
from wushe_events.errors import NotFound
from wushe_events.store import EventStore
from wushe_funds import store
from wushe_funds.commands import Command, PositiveWholeFen, PublicSlug
from wushe_funds.domain import fund as domain
from wushe_funds.domain.receipts import as_written
from wushe_service import communities, field_rules
from wushe_service.identity import PublicTitle


class OpenFund(Command):
    name: Name
    community_id: Slug | None = Field(
        None,
        description="omit for an office-wide fund; else a community the needs service "
        "registered (409 community_unknown until this service has heard of it)",
    )


class ReceiveDonation(Command):
    amount_fen: PositiveWholeFen
    donor_kind: DonorKind
    donor_name: PublicTitle | None = Field(
        None, description="shown publicly only with consent; at most 100 characters"
    )
    # `donor_display` is the event's name for the name published (DESIGN §5: request fields
    # follow the catalogue's); `donor_name` + `publish_donor_name` is what clients have sent
    # since the start. Either, not both. Declared before `publish_donor_name`, whose check
    # reads it.
    donor_display: PublicTitle | None = Field(
        None,
        description="the donor's name to publish, as funds.donation.received calls it: the "
        "same as donor_name with publish_donor_name true; not with donor_name",
    )
    publish_donor_name: bool = Field(False, description="the donor consents to be named")
    channel: PublicSlug | None = Field(None, description="e.g. bank-transfer, wechat-pay, cash")
    receipt_number: str | None = Field(
        None,
        max_length=50,
        pattern=r"^[A-Za-z0-9-]+$",
        description="unique in the office (a receipt book is the organisation's), in either "
        "case, spaces around it ignored, full-width as half-width (ＳＪ－２０２６ is SJ-2026), "
        "another dash as its hyphen (SJ一2026, SJ—2026 are SJ-2026): "
        "sent again with the same donation to the same fund, it is a retry",
    )

    @field_validator("receipt_number", mode="before")
    @classmethod
    def _as_written(cls, value: object) -> object:
        # Kept as the paper receipt writes it (NFKC, trimmed), in the case it was typed: what
        # the acknowledgement prints and the ledger's event publishes is the receipt's number,
        # not an input method's full-width form of it, and `funds.donation.received` keeps
        # carrying only letters, digits and hyphens, as its consumers have always had. Case
        # is left as typed: it is the staff's own writing of the number, and is compared in
        # either case (`receipt_key`).
        return as_written(value) if isinstance(value, str) else value

    @field_validator("donor_display")
    @classmethod
    def _named_once(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("donor_name") is not None:
            raise PydanticCustomError(
                "donor_named_twice",
                "the donor's name is given once: as donor_display, or as donor_name with "
                "publish_donor_name",
            )
        return value

    @field_validator("publish_donor_name")
    @classmethod
    def _display_published(cls, value: bool, info: ValidationInfo) -> bool:
        # Checked only when sent: a name sent as donor_display is one to publish.
        if not value and info.data.get("donor_display") is not None:
            raise PydanticCustomError(
                "donor_display_published",
                "donor_display is the name to publish: send publish_donor_name true or leave "
                "it out (a name not to publish is not kept)",
            )
        return value

    @property
    def published_name(self) -> str | None:
        """The donor's name to publish, whichever way it was sent; None if none may be."""
        if self.donor_display is not None:
            return self.donor_display
        return self.donor_name if self.publish_donor_name else None


class RefundDonation(Command):
    amount_fen: PositiveWholeFen | None = Field(None, description="default: all that is left")
    reason: PublicSlug = Field(
        "other",
        description="a code, published with the refund (public ledger, bus): e.g. "
        "donor-request, duplicate-payment, wrong-fund; default other (a note says why)",
    )
    note: Note | None = Field(
        None,
        description="why, in the staff's words (录入错误，捐款属江滨社区基金): kept in the funds "
        "database, shown to fund staff only, never published",
    )

    @model_validator(mode="after")
    def _explained(self) -> RefundDonation:
        if self.reason == "other" and self.note is None:
            raise field_rules.broken(
                "note",
                "refund_unexplained",
                "required with reason other: a note saying why, or a reason code other than other",
            )
        return self


async def open_fund(store_: EventStore, command: OpenFund, now: datetime) -> UUID:
    fund_id = uuid4()
    async with store_.transaction() as tx:
        if command.community_id is not None:
            await communities.known(tx.raw, command.community_id)
        await tx.append(0, domain.open_fund(fund_id, command.community_id, command.name), now=now)
    return fund_id


async def receive_donation(
    store_: EventStore, fund_id: UUID, command: ReceiveDonation, now: datetime
) -> tuple[UUID, bool]:
    """The donation's id, and whether this request recorded it (not: a retry of a donation
    with the same receipt number). Under the fund's lock, so two racing retries record one."""
    donation_id = uuid4()
    async with store_.transaction() as tx:
        await store.locks.lock_fund(tx.raw, fund_id)
        history = [recorded.event() for recorded in await tx.load("fund", str(fund_id))]
        earlier = domain.with_receipt(history, command.receipt_number)
        events = domain.receive_donation(
            fold(domain.evolve_fund, history),
            fund_id,
            donation_id,
            command.amount_fen,
            command.donor_kind,
            command.published_name,
            True,  # the name consented to, if any: a name not to publish never gets here
            command.channel,
            command.receipt_number,
            earlier,
            await store.receipts.receipt_fund(tx.raw, command.receipt_number),
        )
        await tx.append(len(history), events, now=now)
    if earlier is not None:
        return earlier.donation_id, False
    return donation_id, True


async def refund_donation(
    store_: EventStore, fund_id: UUID, donation_id: UUID, command: RefundDonation, now: datetime
) -> UUID:
    refund_id = uuid4()
    async with store_.transaction() as tx:
        await store.locks.lock_fund(tx.raw, fund_id)
        history = [recorded.event() for recorded in await tx.load("fund", str(fund_id))]
        events = domain.refund_donation(
            fold(domain.evolve_fund, history),
            fund_id,
            refund_id,
            donation_id,
            domain.left_to_refund(history, donation_id),
            command.amount_fen,
            command.reason,
        )
        await tx.append(len(history), events, now=now)
        if command.note is not None:
            await store.notes.keep_refund_note(tx.raw, refund_id, fund_id, command.note)
    return refund_id


async def get_fund(store_: EventStore, fund_id: UUID) -> domain.Fund:
    async with store_.transaction() as tx:
        fund = await load(tx, "fund", str(fund_id), domain.evolve_fund)
    if fund.state is None:
        raise NotFound("fund", fund_id)
    return fund.state

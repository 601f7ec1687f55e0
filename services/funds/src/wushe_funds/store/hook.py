"""The `EventStore` hook: what the service's own tables take from each event appended, in
the append's transaction."""

from __future__ import annotations

from wushe_events.catalogue.funds import ApplicationSubmitted, DonationReceived, ExpenseReported
from wushe_events.store import RecordedEvent, Transaction
from wushe_funds.store.applications import _index_application
from wushe_funds.store.ledger import _write_entry
from wushe_funds.store.projects import _keep_project
from wushe_funds.store.receipts import _claim_receipt, _record_receipt


async def project(tx: Transaction, recorded: RecordedEvent) -> None:
    """The `EventStore` hook: a money event of a fund becomes its next ledger entry; an
    expense claims its receipt; a submission indexes its application by round and team; an
    event of a granted application rewrites its project's row."""
    if recorded.aggregate == "fund":
        await _write_entry(tx.raw, recorded)
        if recorded.event_type == DonationReceived.type:
            event = recorded.event()
            assert isinstance(event, DonationReceived)
            await _record_receipt(tx.raw, event)
    elif recorded.event_type == ExpenseReported.type:
        event = recorded.event()
        assert isinstance(event, ExpenseReported)
        await _claim_receipt(tx.raw, event)
    elif recorded.event_type == ApplicationSubmitted.type:
        await _index_application(tx.raw, recorded)
    if recorded.aggregate == "application":
        await _keep_project(tx, recorded)

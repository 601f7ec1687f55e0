"""The public ledger (公开透明) of a fund: every inflow and outflow with its running balance,
hash-chained so that a rewrite of history shows. Pure: entries from events, hashes, checks.

Each entry's hash is the SHA-256 of a canonical JSON document of its content and the previous
entry's hash. A chain that checks out may still be a consistent forgery (rows changed and all
later hashes recomputed), so `verify` also compares every entry with the one the fund's event
stream gives (the events table is append-only).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.funds import DonationReceived, DonationRefunded, GrantDisbursed

GENESIS = "0" * 64
ANONYMOUS = "anonymous donor"


class Kind(StrEnum):
    donation = "donation"
    refund = "refund"
    disbursement = "disbursement"


INFLOWS = {Kind.donation}


@dataclass(frozen=True)
class Content:
    """What an entry says; `amount_fen` is positive, `kind` gives its direction."""

    fund_id: UUID
    sequence: int
    event_id: UUID
    occurred_at: datetime
    kind: Kind
    reference: UUID  # the donation, refund or disbursement
    amount_fen: int
    balance_fen: int
    purpose: str
    counterpart: str

    def canonical(self, prev_hash: str) -> bytes:
        document = {
            **asdict(self),
            "fund_id": str(self.fund_id),
            "event_id": str(self.event_id),
            "reference": str(self.reference),
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "kind": self.kind.value,
            "prev_hash": prev_hash,
        }
        return json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()


@dataclass(frozen=True)
class Entry:
    content: Content
    prev_hash: str
    hash: str


def chain(content: Content, prev_hash: str) -> Entry:
    return Entry(content, prev_hash, hashlib.sha256(content.canonical(prev_hash)).hexdigest())


def flow(event: Event, donors: Mapping[UUID, str]) -> tuple[Kind, UUID, int, str, str] | None:
    """(kind, reference, amount, purpose, counterpart) of a money event; None for others.
    `donors` gives the public counterpart of a donation, for its refunds."""
    match event:
        case DonationReceived():
            purpose = f"donation ({event.channel})" if event.channel else "donation"
            return (
                Kind.donation,
                event.donation_id,
                event.amount_fen,
                purpose,
                (event.donor_display or ANONYMOUS),
            )
        case DonationRefunded():
            counterpart = donors.get(event.donation_id, ANONYMOUS)
            return (
                Kind.refund,
                event.refund_id,
                event.amount_fen,
                f"refund: {event.reason}",
                (counterpart),
            )
        case GrantDisbursed():
            purpose = event.purpose or f"grant {event.application_id}"
            if event.tranche:
                purpose = f"{purpose} (tranche {event.tranche})"
            return (
                Kind.disbursement,
                event.disbursement_id,
                event.amount_fen,
                purpose,
                (event.counterpart or "grantee"),
            )
    return None


def next_entry(
    previous: Entry | None,
    fund_id: UUID,
    event: Event,
    event_id: UUID,
    occurred_at: datetime,
    donors: Mapping[UUID, str],
) -> Entry | None:
    found = flow(event, donors)
    if found is None:
        return None
    kind, reference, amount, purpose, counterpart = found
    balance = previous.content.balance_fen if previous else 0
    balance += amount if kind in INFLOWS else -amount
    content = Content(
        fund_id,
        previous.content.sequence + 1 if previous else 1,
        event_id,
        occurred_at,
        kind,
        reference,
        amount,
        balance,
        purpose,
        counterpart,
    )
    return chain(content, previous.hash if previous else GENESIS)


def from_events(fund_id: UUID, events: Sequence[tuple[Event, UUID, datetime]]) -> list[Entry]:
    """The ledger as the fund's events give it: (event, event id, occurred at), in order."""
    entries: list[Entry] = []
    donors: dict[UUID, str] = {}
    for event, event_id, occurred_at in events:
        if isinstance(event, DonationReceived):
            donors[event.donation_id] = event.donor_display or ANONYMOUS
        entry = next_entry(
            entries[-1] if entries else None, fund_id, event, event_id, occurred_at, donors
        )
        if entry is not None:
            entries.append(entry)
    return entries


@dataclass(frozen=True)
class Unreadable:
    """A stored row that is no entry at all (say, a `kind` no entry has): broken as it stands."""

    sequence: int
    why: str


@dataclass(frozen=True)
class Broken:
    sequence: int
    reason: str


def verify(stored: Sequence[Entry | Unreadable], expected: Sequence[Entry]) -> Broken | None:
    """The first stored entry that breaks the chain or differs from the events, if any."""
    prev_hash = GENESIS
    for position, entry in enumerate(stored, start=1):
        sequence = entry.sequence if isinstance(entry, Unreadable) else entry.content.sequence
        if sequence != position:
            return Broken(position, "entry missing or out of order")
        if isinstance(entry, Unreadable):
            return Broken(sequence, f"entry unreadable: {entry.why}")
        if entry.prev_hash != prev_hash:
            return Broken(sequence, "prev_hash is not the previous entry's hash")
        if chain(entry.content, entry.prev_hash).hash != entry.hash:
            return Broken(sequence, "hash does not match the entry's content")
        if position > len(expected) or expected[position - 1].content != entry.content:
            return Broken(sequence, "entry differs from the fund's events")
        prev_hash = entry.hash
    if len(expected) > len(stored):
        return Broken(len(stored) + 1, "entry missing")
    return None

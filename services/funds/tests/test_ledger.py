"""The public ledger's entries and hash chain, pure."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from uuid import uuid4

from wushe_events.catalogue.funds import (
    DonationReceived,
    DonationRefunded,
    FundOpened,
    GrantDisbursed,
)
from wushe_funds.domain import ledger

FUND = uuid4()
AT = datetime(2026, 11, 28, 8, tzinfo=UTC)
NAMED, ANONYMOUS = uuid4(), uuid4()
EVENTS = [
    FundOpened(fund_id=FUND, community_id=None, name="基金"),
    DonationReceived(
        donation_id=NAMED, fund_id=FUND, amount_fen=50_000, donor_kind="enterprise",
        donor_display="某某电器公司", channel="bank-transfer",
    ),
    DonationReceived(
        donation_id=ANONYMOUS, fund_id=FUND, amount_fen=8_800, donor_kind="individual",
        donor_display=None,
    ),
    GrantDisbursed(
        disbursement_id=uuid4(), application_id=uuid4(), fund_id=FUND, amount_fen=30_000,
        tranche=1, purpose="银龄互助", counterpart="阳明青年志愿服务队",
    ),
    DonationRefunded(
        refund_id=uuid4(), fund_id=FUND, donation_id=NAMED, amount_fen=10_000, reason="duplicate"
    ),
]  # fmt: skip


def entries():
    return ledger.from_events(
        FUND, [(e, uuid4(), AT + timedelta(minutes=n)) for n, e in enumerate(EVENTS)]
    )


def test_every_flow_is_an_entry_with_its_running_balance_and_counterpart():
    rows = [
        (e.content.sequence, e.content.kind, e.content.amount_fen, e.content.balance_fen,
         e.content.purpose, e.content.counterpart)
        for e in entries()
    ]  # fmt: skip
    assert rows == [
        (1, "donation", 50_000, 50_000, "donation (bank-transfer)", "某某电器公司"),
        (2, "donation", 8_800, 58_800, "donation", "anonymous donor"),
        (3, "disbursement", 30_000, 28_800, "银龄互助 (tranche 1)", "阳明青年志愿服务队"),
        (4, "refund", 10_000, 18_800, "refund: duplicate", "某某电器公司"),
    ]


def test_each_hash_covers_the_previous_one():
    chain = entries()
    assert chain[0].prev_hash == ledger.GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(chain))
    assert ledger.verify(chain, chain) is None


def test_a_changed_entry_is_named():
    chain = entries()
    forged = [*chain]
    forged[2] = replace(chain[2], content=replace(chain[2].content, amount_fen=3_000))
    assert ledger.verify(forged, chain) == ledger.Broken(
        3, "hash does not match the entry's content"
    )


def test_a_consistently_rehashed_forgery_is_caught_by_the_events():
    chain = entries()
    forged = chain[:1]
    for entry in chain[1:]:
        content = entry.content
        if content.sequence == 2:
            content = replace(content, counterpart="某某人")
        forged.append(ledger.chain(content, forged[-1].hash))
    broken = ledger.verify(forged, chain)
    assert broken == ledger.Broken(2, "entry differs from the fund's events")


def test_a_removed_entry_is_named():
    chain = entries()
    assert ledger.verify([*chain[:1], *chain[2:]], chain) == ledger.Broken(
        2, "entry missing or out of order"
    )
    assert ledger.verify(chain[:3], chain) == ledger.Broken(4, "entry missing")


def test_a_broken_link_is_named():
    chain = entries()
    forged = [*chain]
    forged[1] = replace(chain[1], prev_hash="f" * 64)
    assert ledger.verify(forged, chain) == ledger.Broken(
        2, "prev_hash is not the previous entry's hash"
    )


def test_an_unreadable_row_is_named_at_its_sequence():
    chain = entries()
    stored = [chain[0], ledger.Unreadable(2, "kind 'gift'"), *chain[2:]]
    assert ledger.verify(stored, chain) == ledger.Broken(2, "entry unreadable: kind 'gift'")
    misplaced = [chain[0], ledger.Unreadable(3, "kind 'gift'")]
    assert ledger.verify(misplaced, chain) == ledger.Broken(2, "entry missing or out of order")

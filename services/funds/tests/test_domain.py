"""The fund aggregate's rules, pure and fast."""

from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.errors import NotFound, RuleBroken
from wushe_funds.domain import fund as domain

FUND = uuid4()


def opened():
    return domain.open_fund(FUND, "fengshan", "丰山社区慈善基金")


def with_donation(amount: int = 50_000, donation=None):
    return fold(domain.evolve_fund, donated(amount, donation))


def donated(amount: int = 50_000, donation=None):
    fund = fold(domain.evolve_fund, opened())
    return opened() + domain.receive_donation(
        fund, FUND, donation or uuid4(), amount, "individual", "张三", False, "wechat-pay"
    )


def refund(history, donation, amount, reason="donor-request"):
    fund = fold(domain.evolve_fund, history)
    left = domain.left_to_refund(history, donation)
    return domain.refund_donation(fund, FUND, uuid4(), donation, left, amount, reason)


class TestDonations:
    def test_a_donation_raises_the_balance(self):
        fund = with_donation(50_000)
        assert (fund.balance_fen, fund.raised_fen, fund.donations) == (50_000, 50_000, 1)

    def test_the_donor_is_named_only_with_consent(self):
        fund = fold(domain.evolve_fund, opened())
        [anonymous] = domain.receive_donation(
            fund, FUND, uuid4(), 100, "individual", "张三", False, None
        )
        [named] = domain.receive_donation(
            fund, FUND, uuid4(), 100, "enterprise", "某某公司", True, None
        )
        assert anonymous.donor_display is None
        assert named.donor_display == "某某公司"

    def test_a_donation_keeps_its_receipt_number(self):
        fund = fold(domain.evolve_fund, opened())
        [event] = domain.receive_donation(
            fund, FUND, uuid4(), 100, "individual", None, False, None, "R-2026-0001"
        )
        assert event.receipt_number == "R-2026-0001"

    def test_a_receipt_number_records_one_donation(self):
        fund = fold(domain.evolve_fund, opened())

        def receive(amount, earlier):
            return domain.receive_donation(
                fund, FUND, uuid4(), amount, "individual", None, False, "cash", "R-7", earlier
            )

        [first] = receive(100, None)
        history = [*opened(), first]
        assert domain.with_receipt(history, "R-7") == first
        assert domain.with_receipt(history, "R-8") is domain.with_receipt(history, None) is None
        assert receive(100, first) == []  # a retry
        with pytest.raises(RuleBroken) as refused:
            receive(101, first)
        assert refused.value.rule == "receipt_number_used"

    def test_a_receipt_number_of_another_fund_of_the_office_is_refused(self):
        fund, elsewhere = fold(domain.evolve_fund, opened()), uuid4()
        with pytest.raises(RuleBroken) as refused:
            domain.receive_donation(
                fund, FUND, uuid4(), 100, "individual", None, False, None, "R-7", None, elsewhere
            )
        assert (refused.value.rule, str(elsewhere) in str(refused.value)) == (
            "receipt_number_used",
            True,
        )

    def test_a_donation_to_an_unknown_fund_is_not_found(self):
        with pytest.raises(NotFound):
            domain.receive_donation(None, FUND, uuid4(), 100, "individual", None, False, None)

    def test_a_donation_is_positive(self):
        fund = fold(domain.evolve_fund, opened())
        with pytest.raises(RuleBroken) as refused:
            domain.receive_donation(fund, FUND, uuid4(), 0, "individual", None, False, None)
        assert refused.value.rule == "donation_positive"


class TestRefunds:
    def test_a_refund_lowers_the_balance_and_what_is_left_to_refund(self):
        donation = uuid4()
        history = donated(50_000, donation)
        history += refund(history, donation, 20_000)
        fund = fold(domain.evolve_fund, history)
        assert (fund.balance_fen, fund.refunded_fen, fund.raised_fen) == (30_000, 20_000, 50_000)
        assert domain.left_to_refund(history, donation) == 30_000

    def test_no_amount_refunds_what_is_left(self):
        donation = uuid4()
        [event] = refund(donated(50_000, donation), donation, None, "duplicate")
        assert event.amount_fen == 50_000

    def test_a_refund_cannot_exceed_the_donation(self):
        donation = uuid4()
        history = donated(50_000, donation)
        history += refund(history, donation, 40_000)
        with pytest.raises(RuleBroken) as refused:
            refund(history, donation, 10_001)
        assert refused.value.rule == "refund_exceeds_donation"

    def test_a_refund_cannot_exceed_the_balance(self):
        donation = uuid4()
        history = donated(50_000, donation)
        fund = fold(domain.evolve_fund, history)
        history += domain.disburse(fund, FUND, uuid4(), uuid4(), 45_000)
        with pytest.raises(RuleBroken) as refused:
            refund(history, donation, None)
        assert refused.value.rule == "fund_balance_insufficient"

    def test_an_unknown_donation_is_not_found(self):
        with pytest.raises(NotFound):
            refund(donated(), uuid4(), 1)


class TestDisbursements:
    def test_a_disbursement_beyond_the_balance_is_refused(self):
        fund = with_donation(10_000)
        with pytest.raises(RuleBroken) as refused:
            domain.disburse(fund, FUND, uuid4(), uuid4(), 10_001)
        assert refused.value.rule == "fund_balance_insufficient"

    def test_a_disbursement_lowers_the_balance(self):
        fund = with_donation(10_000)
        fund = fold(domain.evolve_fund, domain.disburse(fund, FUND, uuid4(), uuid4(), 10_000), fund)
        assert (fund.balance_fen, fund.disbursed_fen) == (0, 10_000)

    def test_an_event_of_another_aggregate_does_not_apply(self):
        with pytest.raises(TypeError):
            domain.evolve_fund(None, domain.disburse(with_donation(), FUND, uuid4(), uuid4(), 1)[0])

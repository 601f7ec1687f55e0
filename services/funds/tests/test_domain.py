"""The fund aggregate's rules, pure and fast."""

from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.errors import NotFound
from wushe_funds import domain

FUND = uuid4()


def opened():
    return domain.open_fund(FUND, "fengshan", "丰山社区慈善基金")


class TestDonations:
    def test_a_donation_raises_the_balance(self):
        fund = fold(domain.evolve_fund, opened())
        events = domain.receive_donation(
            fund, FUND, uuid4(), 50_000, "individual", "张三", False, "wechat-pay"
        )
        fund = fold(domain.evolve_fund, events, fund)
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

    def test_a_donation_to_an_unknown_fund_is_not_found(self):
        with pytest.raises(NotFound):
            domain.receive_donation(None, FUND, uuid4(), 100, "individual", None, False, None)

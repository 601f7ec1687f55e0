"""`GET /funds/{id}` as a fund manager reads it: the community by name, the figures in yuan."""

from uuid import uuid4

from wushe_funds.api.funds import fund_view
from wushe_funds.domain.fund import Fund

FUND = Fund(
    fund_id=uuid4(),
    community_id="fengshan",
    name="丰山社区慈善基金",
    balance_fen=123_456_705,
    raised_fen=123_500_005,
    donations=3,
    refunded_fen=43_300,
    disbursed_fen=0,
)


class TestTheView:
    def test_the_figures_are_also_written_in_yuan_exactly(self):
        view = fund_view(FUND, {"name": "丰山社区", "street": "凤山街道"})
        assert (view.balance_yuan, view.raised_yuan, view.refunded_yuan, view.disbursed_yuan) == (
            "1234567.05",
            "1235000.05",
            "433.00",
            "0.00",
        )
        assert (view.balance_fen, view.raised_fen, view.donations) == (123_456_705, 123_500_005, 3)

    def test_the_community_is_named_as_registered(self):
        view = fund_view(FUND, {"name": "丰山社区", "street": "凤山街道"})
        assert (view.community_id, view.community_name, view.community_street) == (
            "fengshan",
            "丰山社区",
            "凤山街道",
        )

    def test_a_community_not_heard_of_yet_leaves_its_name_empty(self):
        view = fund_view(FUND, None)
        assert (view.community_id, view.community_name, view.community_street) == (
            "fengshan",
            None,
            None,
        )


class TestGetFund:
    async def test_a_fund_manager_reads_the_community_and_the_amounts_in_yuan(self, funds):
        opened = await funds.post("/funds", json={"name": "丰山基金", "community_id": "fengshan"})
        fund_id = opened.json()["fund_id"]
        for amount in (50_005, 20_000):
            donated = await funds.post(
                f"/funds/{fund_id}/donations",
                json={"amount_fen": amount, "donor_kind": "individual", "channel": "wechat-pay"},
            )
            assert donated.status_code == 201, donated.text

        response = await funds.get(f"/funds/{fund_id}")
        assert response.status_code == 200, response.text
        assert response.json() == {
            "fund_id": fund_id,
            "community_id": "fengshan",
            "community_name": "丰山社区",
            "community_street": "凤山街道",
            "name": "丰山基金",
            "balance_fen": 70_005,
            "raised_fen": 70_005,
            "donations": 2,
            "refunded_fen": 0,
            "disbursed_fen": 0,
            "balance_yuan": "700.05",
            "raised_yuan": "700.05",
            "refunded_yuan": "0.00",
            "disbursed_yuan": "0.00",
        }

    async def test_an_office_wide_fund_has_no_community_name(self, funds):
        opened = await funds.post("/funds", json={"name": "全镇基金", "community_id": None})
        fund = (await funds.get(f"/funds/{opened.json()['fund_id']}")).json()
        assert (fund["community_id"], fund["community_name"], fund["community_street"]) == (
            None,
            None,
            None,
        )
        assert fund["balance_yuan"] == "0.00"

    async def test_an_unknown_fund_is_404(self, funds):
        assert (await funds.get(f"/funds/{uuid4()}")).status_code == 404

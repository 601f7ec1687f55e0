"""A fund manager's month-end reconciliation, over HTTP against the real PostgreSQL and NATS: a
period's donations by channel — received, refunded, standing, in fen and yuan — whose totals
are the ledger's for the same period, as JSON and as a CSV Excel opens; and the donations
list filtered by channel."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from wushe_service.auth import Role

GIFTS = [
    (100_000, "bank-transfer"),
    (50_000, "bank-transfer"),
    (20_000, "cash"),
    (30_000, "wechat-pay"),
    (7_000, "wechat"),  # WeChat Pay's older code: the same statement
    (5_000, None),
]


@pytest.fixture
async def month(funds, fund, runtime):
    """A fund given GIFTS today, the cash one refunded 80.00 yuan of: its id and today."""
    fund_id = await fund(0)
    ids = {}
    for amount, channel in GIFTS:
        body = {"amount_fen": amount, "donor_kind": "individual"}
        if channel:
            body["channel"] = channel
        given = await funds.post(f"/funds/{fund_id}/donations", json=body)
        assert given.status_code == 201, given.text
        ids[channel] = given.json()["donation_id"]
    refund = {"amount_fen": 8_000, "reason": "donor-request"}
    refunded = await funds.post(f"/funds/{fund_id}/donations/{ids['cash']}/refund", json=refund)
    assert refunded.status_code == 201, refunded.text
    return fund_id, datetime.now(runtime.settings.zone()).date()


async def test_a_periods_donations_by_channel_with_received_refunded_and_standing(funds, month):
    fund_id, today = month

    answer = await funds.get(
        f"/funds/{fund_id}/donations/by-channel", params={"from": today, "to": today}
    )

    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert [
        (c["channel"], c["channel_label"], c["donations"], c["received_fen"], c["refunded_fen"])
        for c in view["channels"]
    ] == [
        ("bank-transfer", "银行转账", 2, 150_000, 0),
        ("wechat-pay", "微信支付", 2, 37_000, 0),
        ("cash", "现金", 1, 20_000, 8_000),
        (None, "未注明", 1, 5_000, 0),
    ]
    cash = view["channels"][2]
    assert (cash["refunds"], cash["standing_fen"], cash["standing_yuan"]) == (1, 12_000, "120.00")
    total = view["total"]
    assert (total["donations"], total["received_fen"], total["received_yuan"]) == (
        6,
        212_000,
        "2120.00",
    )
    assert (total["refunded_fen"], total["standing_fen"]) == (8_000, 204_000)


async def test_the_totals_are_the_ledgers_for_the_same_period(funds, month, public):
    fund_id, today = month
    period = f"from={today - timedelta(days=1)}&to={today}"

    by_channel = (await funds.get(f"/funds/{fund_id}/donations/by-channel?{period}")).json()
    ledger = (await public(f"/public/funds/{fund_id}/ledger?{period}")).json()

    assert by_channel["total"]["received_fen"] == ledger["period"]["in_fen"]
    assert by_channel["total"]["refunded_fen"] == ledger["period"]["out_fen"]  # no grant paid
    assert by_channel["total"]["standing_fen"] == (
        ledger["period"]["closing_balance_fen"] - ledger["period"]["opening_balance_fen"]
    )


async def test_a_period_before_the_donations_has_none(funds, month):
    fund_id, today = month
    day = today - timedelta(days=1)

    view = (await funds.get(f"/funds/{fund_id}/donations/by-channel?from={day}&to={day}")).json()

    assert view["channels"] == []
    assert (view["total"]["received_fen"], view["total"]["standing_yuan"]) == (0, "0.00")


async def test_the_csv_opens_in_excel_headed_in_chinese_with_a_total(funds, month):
    fund_id, today = month

    answer = await funds.get(f"/funds/{fund_id}/donations/by-channel.csv?from={today}")

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["渠道"], r["收到（分）"], r["收到（元）"], r["净额（元）"]) for r in rows] == [
        ("银行转账", "150000", "1500.00", "1500.00"),
        ("微信支付", "37000", "370.00", "370.00"),
        ("现金", "20000", "200.00", "120.00"),
        ("未注明", "5000", "50.00", "50.00"),
        ("合计", "212000", "2120.00", "2040.00"),
    ]


async def test_the_donations_list_filters_by_channel(funds, month):
    fund_id, _ = month

    banked = (await funds.get(f"/funds/{fund_id}/donations?channel=bank-transfer")).json()
    wechat = (await funds.get(f"/funds/{fund_id}/donations?channel=wechat-pay")).json()

    assert [d["amount_fen"] for d in banked["items"]] == [100_000, 50_000]
    assert [d["amount_fen"] for d in wechat["items"]] == [30_000, 7_000]


async def test_a_reversed_period_is_a_422_naming_to(funds, month):
    fund_id, today = month

    answer = await funds.get(
        f"/funds/{fund_id}/donations/by-channel?from={today}&to={today - timedelta(days=1)}"
    )

    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["type"]) == ("query.to", "period_reversed")


async def test_a_reviewer_may_not_read_it_and_an_unknown_fund_is_a_404(funds, month, token_for):
    fund_id, _ = month
    reviewer = await token_for(Role.reviewer)

    refused = await funds.get(f"/funds/{fund_id}/donations/by-channel", headers=reviewer)
    missing = await funds.get("/funds/00000000-0000-4000-8000-000000000000/donations/by-channel")

    assert refused.status_code == 403, refused.text
    assert missing.status_code == 404, missing.text

"""A fund's ledger for a period — a month's, beside the bank's statement of it: the entries of
those days at the office's clock, with the balance they opened with, what came in, what went
out and the balance they closed with; as JSON, CSV and the page (按月查看)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wushe_funds.queries.ledger import in_period, months
from wushe_service.accessibility_audit import AUDIT, SCREENS, accessibility_violations


def entry(sequence, day, direction, amount_fen, balance_fen):
    return {
        "sequence": sequence,
        "occurred_at": datetime.fromisoformat(day).replace(tzinfo=UTC),
        "direction": direction,
        "amount_fen": amount_fen,
        "balance_fen": balance_fen,
    }


LEDGER = {
    "entries": [
        entry(1, "2026-10-20T02:00", "in", 50_000, 50_000),
        entry(2, "2026-11-03T02:00", "in", 20_000, 70_000),
        entry(3, "2026-11-29T15:59", "out", 30_000, 40_000),  # 11-29 23:59 in Beijing
        entry(4, "2026-11-30T16:00", "in", 1_000, 41_000),  # 12-01 00:00 in Beijing
    ]
}
NOVEMBER = (datetime(2026, 10, 31, 16, tzinfo=UTC), datetime(2026, 11, 30, 16, tzinfo=UTC))


def test_a_month_opens_with_the_balance_before_it_and_closes_with_its_last():
    shown = in_period(LEDGER, *NOVEMBER)

    assert [e["sequence"] for e in shown["entries"]] == [2, 3]
    p = shown["period"]
    assert (p["opening_balance_fen"], p["in_fen"], p["out_fen"], p["closing_balance_fen"]) == (
        50_000,
        20_000,
        30_000,
        40_000,
    )
    assert p["opening_balance_fen"] + p["in_fen"] - p["out_fen"] == p["closing_balance_fen"]
    assert (p["closing_balance_yuan"], p["entries"]) == ("400.00", 2)


@pytest.mark.parametrize(
    ("since", "before", "balances"),
    [
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC), (0, 0)),
        (datetime(2027, 1, 1, tzinfo=UTC), None, (41_000, 41_000)),
        (datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC), (70_000, 70_000)),
    ],
)
def test_a_period_without_entries_holds_the_balance_of_its_day(since, before, balances):
    p = in_period(LEDGER, since, before)["period"]

    assert (p["entries"], p["in_fen"], p["out_fen"]) == (0, 0, 0)
    assert (p["opening_balance_fen"], p["closing_balance_fen"]) == balances


def test_the_months_are_those_of_the_office_s_clock_the_latest_first():
    assert months(LEDGER, ZoneInfo("Asia/Shanghai")) == [
        date(2026, 12, 1),
        date(2026, 11, 1),
        date(2026, 10, 1),
    ]


async def donate(funds, fund_id, amount_fen):
    body = {"amount_fen": amount_fen, "donor_kind": "individual", "channel": "bank-transfer"}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def test_the_json_and_csv_of_a_period_hold_its_entries_and_balances(funds, fund, runtime):
    fund_id = await fund(100_000)
    donation = await donate(funds, fund_id, 2_500)
    refunded = await funds.post(
        f"/funds/{fund_id}/donations/{donation}/refund", json={"reason": "donor-request"}
    )
    assert refunded.status_code == 201, refunded.text
    today = datetime.now(runtime.settings.zone()).date()
    url = f"/public/funds/{fund_id}/ledger"

    around = (
        await funds.get(url, params={"from": today - timedelta(1), "to": today + timedelta(1)})
    ).json()
    before = (await funds.get(url, params={"from": "2020-01-01", "to": "2020-01-31"})).json()
    after = (await funds.get(url, params={"from": today + timedelta(2)})).json()
    whole = (await funds.get(url)).json()

    assert [e["sequence"] for e in around["entries"]] == [1, 2, 3]
    assert {k: around["period"][k] for k in ("opening_balance_fen", "in_fen", "out_fen")} == {
        "opening_balance_fen": 0,
        "in_fen": 102_500,
        "out_fen": 2_500,
    }
    assert around["period"]["closing_balance_fen"] == around["balance_fen"] == 100_000
    assert (before["entries"], before["period"]["closing_balance_fen"]) == ([], 0)
    assert (after["entries"], after["period"]["opening_balance_fen"]) == ([], 100_000)
    assert after["period"]["from"] == str(today + timedelta(2))
    assert after["period"]["to"] is None
    assert "period" not in whole
    assert len(whole["entries"]) == 3

    csv = await funds.get(f"{url}.csv", params={"from": "2020-01-01", "to": "2020-01-31"})
    assert csv.status_code == 200, csv.text
    assert csv.text.lstrip("\ufeff").strip().splitlines()[1:] == []
    csv = await funds.get(f"{url}.csv", params={"from": str(today - timedelta(1))})
    assert len(csv.text.strip().splitlines()) == 1 + 3


@pytest.mark.parametrize("suffix", ["", ".csv"])
async def test_a_period_that_ends_before_it_starts_is_refused_naming_to(funds, fund, suffix):
    fund_id = await fund(100)

    response = await funds.get(
        f"/public/funds/{fund_id}/ledger{suffix}", params={"from": "2026-12-31", "to": "2026-12-01"}
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "query.to"
    assert response.json()["errors"][0]["type"] == "period_reversed"


async def test_the_page_of_a_month_says_its_figures_and_links_the_months(funds, fund, runtime):
    fund_id = await fund(100_000)
    today = datetime.now(runtime.settings.zone()).date()
    first = today.replace(day=1)

    page = await funds.get(
        f"/public/funds/{fund_id}/ledger",
        params={"from": str(first), "to": str(today + timedelta(1)), "format": "html"},
    )

    assert page.status_code == 200, page.text
    assert f"<strong>{first} 至 {today + timedelta(1)}</strong>：期初余额 ¥0.00" in page.text
    assert "收入 ¥1,000.00 · 支出 ¥0.00 · 期末余额 ¥1,000.00（1 条记录）" in page.text
    assert f"?from={first}&amp;to=" in page.text
    assert f">{first.year}年{first.month}月</a>" in page.text
    assert f"ledger.csv?from={first}&amp;to={today + timedelta(1)}" in page.text


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_page_of_a_month_has_no_accessibility_violation(
    served, tab, funds, fund, runtime, screen
):
    fund_id = await fund(100_000)
    today = datetime.now(runtime.settings.zone()).date()
    month = f"from={today.replace(day=1)}&to={today + timedelta(1)}"

    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/public/funds/{fund_id}/ledger?{month}&format=html")
        await page.locator("nav.months").wait_for()
        assert await accessibility_violations(page, **AUDIT) == []

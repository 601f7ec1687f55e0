"""The funds API over HTTP, against the real PostgreSQL and NATS."""

import asyncio
from uuid import uuid4

import pytest


async def test_a_fund_takes_donations_and_shows_its_balance(funds):
    response = await funds.post(
        "/funds", json={"name": "丰山社区慈善基金", "community_id": "fengshan"}
    )
    assert response.status_code == 201, response.text
    fund_id = response.json()["fund_id"]
    for amount in (50_000, 20_000):
        donation = await funds.post(
            f"/funds/{fund_id}/donations",
            json={"amount_fen": amount, "donor_kind": "individual", "channel": "wechat-pay"},
        )
        assert donation.status_code == 201, donation.text
    fund = (await funds.get(f"/funds/{fund_id}")).json()
    assert (fund["balance_fen"], fund["donations"]) == (70_000, 2)


async def test_the_funds_are_listed_with_their_balances_by_page_and_community(funds, public):
    opened = []
    for name, community in [("丰山基金", "fengshan"), ("全镇基金", None), ("江滨基金", "jiangbin")]:
        response = await funds.post("/funds", json={"name": name, "community_id": community})
        opened.append(response.json()["fund_id"])
    await funds.post(
        f"/funds/{opened[0]}/donations", json={"amount_fen": 800, "donor_kind": "enterprise"}
    )

    first = (await funds.get("/funds", params={"limit": 2})).json()
    rest = (await funds.get("/funds", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [f["fund_id"] for f in first["items"] + rest["items"]] == opened
    assert rest["next_cursor"] is None
    assert first["items"][0]["balance_fen"] == 800
    assert first["items"][1] | {"fund_id": None, "opened_at": None} == {
        "fund_id": None,
        "name": "全镇基金",
        "community_id": None,
        "community_name": None,
        "community_street": None,
        "opened_at": None,
        "balance_fen": 0,
        "raised_fen": 0,
        "refunded_fen": 0,
        "disbursed_fen": 0,
        "balance_yuan": "0.00",
        "raised_yuan": "0.00",
        "refunded_yuan": "0.00",
        "disbursed_yuan": "0.00",
        "ledger": f"/public/funds/{opened[1]}/ledger",
        "ledger_valid": True,
        "ledger_first_broken": None,
        "rounds": [],
    }
    only = (await funds.get("/funds", params={"community": "jiangbin"})).json()["items"]
    assert [f["fund_id"] for f in only] == [opened[2]]

    # The public finds the same funds, and their ledgers, without logging in.
    listed = (await public("/public/funds")).json()["items"]
    assert [f["fund_id"] for f in listed] == opened
    assert (await public(listed[0]["ledger"])).json()["entries"][0]["amount_fen"] == 800
    assert (await public("/funds")).status_code == 401


async def test_the_rounds_are_listed_by_fund(funds, fund, grant_round):
    first, second = await fund(), await fund(name="江滨社区慈善基金")
    rounds = [await grant_round(first), await grant_round(second), await grant_round(first)]
    listed = (await funds.get("/rounds", params={"fund": first})).json()
    assert [r["round_id"] for r in listed["items"]] == [rounds[0], rounds[2]]
    assert listed["items"][0]["budget_fen"] == 500_000
    every = (await funds.get("/rounds", params={"limit": 1})).json()
    assert every["items"][0]["round_id"] == rounds[0]
    assert every["next_cursor"]
    bad = await funds.get("/rounds", params={"cursor": "nonsense"})
    assert bad.status_code == 422
    assert "cursor" in bad.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_fen": 0, "donor_kind": "individual"}, "amount_fen"),
        ({"amount_fen": 12.5, "donor_kind": "individual"}, "amount_fen"),
        ({"amount_fen": 100, "donor_kind": "alien"}, "donor_kind"),
    ],
)
async def test_bad_donations_are_a_422_naming_the_field(funds, body, field):
    fund_id = (await funds.post("/funds", json={"name": "基金"})).json()["fund_id"]
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_a_retried_donation_is_recorded_once(funds):
    fund_id = (await funds.post("/funds", json={"name": "基金"})).json()["fund_id"]
    url = f"/funds/{fund_id}/donations"
    body = {"amount_fen": 5_000, "donor_kind": "individual", "receipt_number": "R-2026-0042"}
    # Two racing requests of one donation (a retry sent before the first was answered).
    first, second = await asyncio.gather(funds.post(url, json=body), funds.post(url, json=body))
    assert sorted([first.status_code, second.status_code]) == [200, 201]
    assert first.json() == second.json()
    again = await funds.post(url, json=body)
    assert (again.status_code, again.json()) == (200, first.json())
    other = await funds.post(url, json={**body, "amount_fen": 5_001})
    assert (other.status_code, other.json()["rule"]) == (409, "receipt_number_used")
    without_receipt = {"amount_fen": 100, "donor_kind": "individual"}
    for _ in range(2):
        assert (await funds.post(url, json=without_receipt)).status_code == 201
    fund = (await funds.get(f"/funds/{fund_id}")).json()
    assert (fund["donations"], fund["balance_fen"]) == (3, 5_200)


async def test_a_receipt_number_is_used_once_in_the_office(funds, sql):
    """A receipt book is the organisation's: the same number in another fund is refused."""
    first, second = [
        (await funds.post("/funds", json={"name": name})).json()["fund_id"]
        for name in ("丰山基金", "江滨基金")
    ]
    body = {"amount_fen": 5_000, "donor_kind": "individual", "receipt_number": "R-2026-0043"}
    donated = await funds.post(f"/funds/{first}/donations", json=body)
    assert donated.status_code == 201, donated.text
    elsewhere = await funds.post(f"/funds/{second}/donations", json=body)
    assert (elsewhere.status_code, elsewhere.json()["rule"]) == (409, "receipt_number_used")
    assert first in elsewhere.json()["detail"]
    assert (await funds.get(f"/funds/{second}")).json()["donations"] == 0
    # Should the check be passed (racing requests to two funds), the key refuses the second.
    await sql("DELETE FROM funds.donation_receipts")
    await sql("INSERT INTO funds.donation_receipts VALUES ('R-2026-0044', $1, $1)", uuid4())
    raced = await funds.post(
        f"/funds/{second}/donations", json={**body, "receipt_number": "R-2026-0044"}
    )
    assert (raced.status_code, raced.json()["rule"]) == (409, "receipt_number_used")
    assert (await funds.get(f"/funds/{second}")).json()["donations"] == 0


async def test_a_donation_to_an_unknown_fund_is_a_404(funds):
    response = await funds.post(
        "/funds/6a1f3f7e-8c1e-4a55-9a3c-1f1e2d3c4b5a/donations",
        json={"amount_fen": 100, "donor_kind": "individual"},
    )
    assert response.status_code == 404


async def test_operations_endpoints_work_without_internet(funds):
    docs = await funds.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert (await funds.get("/static/swagger-ui/swagger-ui-bundle.js")).status_code == 200
    paths = (await funds.get("/openapi.json")).json()["paths"]
    assert "/funds/{fund_id}/donations" in paths
    assert (await funds.get("/healthz")).json()["service"] == "funds"
    assert (await funds.get("/readyz")).json() == {"ready": True, "problems": {}}
    asyncapi = (await funds.get("/asyncapi")).json()
    assert asyncapi["asyncapi"] == "3.0.0"
    assert "funds.donation.received.v1" in asyncapi["channels"]
    assert not any(key.startswith("needs.") for key in asyncapi["channels"])
    metrics = (await funds.get("/metrics")).text
    assert "wushe_http_request_duration_seconds" in metrics
    icon = await funds.get("/favicon.ico")  # what every browser asks for: not a 404
    assert (icon.status_code, icon.headers["content-type"]) == (200, "image/svg+xml")


async def test_the_correlation_id_of_the_caller_is_kept_if_it_is_an_id(funds):
    kept = await funds.get("/healthz", headers={"X-Correlation-ID": "req-2026.11.28:abc"})
    assert kept.headers["x-correlation-id"] == "req-2026.11.28:abc"
    personal = "王秀英 13812345678".encode()
    replaced = await funds.get("/healthz", headers={"X-Correlation-ID": personal})
    assert "13812345678" not in replaced.headers["x-correlation-id"]

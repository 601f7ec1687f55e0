"""Money is sent as an integer of fen (`10000`, or `"10000"` as always): `"100.00"`, `100.0`
or `true` — yuan most likely meant, or no amount at all — is a 422 naming the field, never 100
fen (or 1) recorded on the public ledger; nothing changes."""

import pytest

DONATION = {"donor_kind": "individual", "channel": "cash"}


@pytest.mark.parametrize("amount", ["100.00", "100.5", 100.0, True, "1e4"])
async def test_a_donation_not_in_whole_fen_is_refused_naming_its_amount(funds, fund, amount):
    fund_id = await fund(0)

    refused = await funds.post(
        f"/funds/{fund_id}/donations", json={**DONATION, "amount_fen": amount}
    )

    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["amount_fen"]
    assert "whole number of fen" in refused.json()["errors"][0]["message"]
    assert (await funds.get(f"/public/funds/{fund_id}/ledger")).json()["entries"] == []


@pytest.mark.parametrize("amount", [10_000, "10000"])
async def test_a_donation_in_whole_fen_is_taken(funds, fund, amount):
    fund_id = await fund(0)

    taken = await funds.post(f"/funds/{fund_id}/donations", json={**DONATION, "amount_fen": amount})

    assert taken.status_code == 201, taken.text
    assert (await funds.get(f"/funds/{fund_id}")).json()["balance_fen"] == 10_000


async def test_a_round_s_and_a_grant_s_money_not_in_whole_fen_is_refused(
    funds, fund, grant_round, submitted, known_team
):
    fund_id = await fund()
    body = {"fund_id": fund_id, "budget_fen": "5000.00", "themes": ["为老服务"]}
    body |= {"closes_at": "2099-01-01T00:00:00Z", "community_budgets_fen": {"fengshan": 100.0}}

    opened = await funds.post("/rounds", json=body)

    assert opened.status_code == 422, opened.text
    fields = sorted(e["field"] for e in opened.json()["errors"])
    assert fields == ["budget_fen", "community_budgets_fen.fengshan"]
    round_id = await grant_round(fund_id)
    application = {
        "team_id": await known_team(),
        "community_id": "fengshan",
        "title": "银龄互助小组",
        "requested_fen": 100_000,
        "budget_lines": [{"item": "活动物资", "amount_fen": "1000.00"}],
    }
    applied = await funds.post(f"/rounds/{round_id}/applications", json=application)
    assert applied.status_code == 422, applied.text
    assert [e["field"] for e in applied.json()["errors"]] == ["budget_lines.0.amount_fen"]
    grant = await submitted(round_id, checked=True)
    approved = await funds.post(f"/applications/{grant}/approve", json={"approved_fen": 60_000.0})
    assert approved.status_code == 422, approved.text
    assert [e["field"] for e in approved.json()["errors"]] == ["approved_fen"]

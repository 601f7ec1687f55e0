"""A donation looked up by its receipt number as a person types it from the paper receipt:
in either case, with spaces around it (捐赠记录's 收据号 search)."""

import pytest


async def donate(funds, fund_id, receipt_number):
    body = {"amount_fen": 10_000, "donor_kind": "individual", "receipt_number": receipt_number}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


@pytest.mark.parametrize("typed", ["SJ-2026-001", "sj-2026-001", "  Sj-2026-001 "])
async def test_a_receipt_number_is_found_whatever_its_case_and_spaces(funds, fund, typed):
    fund_id = await fund(0)
    wanted = await donate(funds, fund_id, "SJ-2026-001")
    await donate(funds, fund_id, "SJ-2026-0011")
    other_fund = await fund(0, name="江滨社区慈善基金")
    await donate(funds, other_fund, "sj-2026-002")

    response = await funds.get(f"/funds/{fund_id}/donations", params={"receipt_number": typed})

    assert response.status_code == 200, response.text
    assert [d["donation_id"] for d in response.json()["items"]] == [wanted]


async def test_another_fund_s_receipt_is_not_found_in_this_one(funds, fund):
    fund_id, other_fund = await fund(0), await fund(0, name="江滨社区慈善基金")
    await donate(funds, other_fund, "SJ-2026-003")

    response = await funds.get(
        f"/funds/{fund_id}/donations", params={"receipt_number": "sj-2026-003"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["items"] == []

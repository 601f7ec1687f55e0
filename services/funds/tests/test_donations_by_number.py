"""A donation looked up by its acknowledgement's number in the fund (确认书编号), as the donor
holding the printed sheet reads it out, against the real PostgreSQL."""

from wushe_service.auth import Role


async def donate(funds, fund_id: str, amount: int, **more) -> str:
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def listed(funds, fund_id: str, **params) -> list[tuple[str, int]]:
    response = await funds.get(f"/funds/{fund_id}/donations", params=params)
    assert response.status_code == 200, response.text
    return [(d["donation_id"], d["number"]) for d in response.json()["items"]]


async def test_a_donation_is_found_by_its_number_as_printed_or_not(funds, fund):
    fund_id, other = await fund(0), await fund(0, name="江滨社区慈善基金")
    first = await donate(funds, fund_id, 1_000)
    await donate(funds, other, 2_000)
    second = await donate(funds, fund_id, 3_000, receipt_number="FS-0002")
    refund = {"amount_fen": 3_000, "reason": "donor-request"}
    refunded = await funds.post(f"/funds/{fund_id}/donations/{second}/refund", json=refund)
    assert refunded.status_code == 201, refunded.text

    assert await listed(funds, fund_id, number=2) == [(second, 2)]
    assert await listed(funds, fund_id, number="000002") == [(second, 2)]
    assert await listed(funds, fund_id, number=1) == [(first, 1)]
    # Beside the other filters, and none where the fund has no such number.
    assert await listed(funds, fund_id, number=2, receipt_number="FS-0002") == [(second, 2)]
    assert await listed(funds, fund_id, number=1, receipt_number="FS-0002") == []
    assert await listed(funds, fund_id, number=3) == []


async def test_an_auditor_finds_a_donation_by_its_number(funds, fund, token_for):
    fund_id = await fund()  # the fund's first donation, the county's
    auditor = await token_for(Role.auditor, "审计员")
    response = await funds.get(
        f"/funds/{fund_id}/donations", params={"number": "1"}, headers=auditor
    )
    assert response.status_code == 200, response.text
    assert [d["number"] for d in response.json()["items"]] == [1]


async def test_a_number_that_is_no_number_is_a_422_naming_it(funds, fund):
    fund_id = await fund(0)
    for wrong in ("0", "-3", "FS-0002"):
        response = await funds.get(f"/funds/{fund_id}/donations", params={"number": wrong})
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["query.number"]


async def test_a_number_past_any_fund_s_count_is_a_422_not_a_failure(funds, fund):
    fund_id = await fund(0)
    response = await funds.get(
        f"/funds/{fund_id}/donations", params={"number": "99999999999999999999"}
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["query.number"]

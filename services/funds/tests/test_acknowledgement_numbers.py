"""A donation's acknowledgement (捐赠确认书) carries a number of its own in its fund: 1, 2, 3… in
the order the fund received its donations, with no gap and none twice even when donations race,
never taken back by a refund, and the same however often it is read — it is counted from the
fund's event stream."""

import asyncio


async def _donate(funds, fund_id: str, amount: int, **more) -> str:
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["donation_id"])


async def _number(funds, fund_id: str, donation_id: str) -> int:
    url = f"/funds/{fund_id}/donations/{donation_id}/acknowledgement"
    response = await funds.get(url, params={"format": "json"})
    assert response.status_code == 200, response.text
    sheet = response.json()
    assert sheet["number_text"] == f"{sheet['number']:06d}"
    return int(sheet["number"])


async def test_racing_donations_are_numbered_in_the_fund_s_order_without_gaps(funds, fund):
    fund_id, other = await fund(0), await fund(0, name="江滨社区慈善基金")
    racing = await asyncio.gather(*(_donate(funds, fund_id, 100 + i) for i in range(8)))
    listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    assert sorted(d["donation_id"] for d in listed) == sorted(racing)
    in_order = [await _number(funds, fund_id, d["donation_id"]) for d in listed]
    assert in_order == [d["number"] for d in listed] == list(range(1, 9))

    # Another fund numbers its own from 1.
    assert await _number(funds, other, await _donate(funds, other, 500)) == 1


async def test_a_refund_takes_no_number_back_and_a_retry_takes_none(funds, fund):
    fund_id = await fund(0)
    first = await _donate(funds, fund_id, 1_000, receipt_number="JZ-0001")
    second = await _donate(funds, fund_id, 2_000)
    url = f"/funds/{fund_id}/donations/{second}/refund"
    refunded = await funds.post(url, json={"reason": "donor-request"})
    assert refunded.status_code == 201, refunded.text
    again = await _donate(funds, fund_id, 1_000, receipt_number="JZ-0001")  # a retry
    assert again == first
    third = await _donate(funds, fund_id, 3_000)
    assert [await _number(funds, fund_id, d) for d in (first, second, third)] == [1, 2, 3]
    assert await _number(funds, fund_id, second) == 2  # read again: the same
    # Looked up by what narrows the list, a donation keeps its number in the fund.
    url = f"/funds/{fund_id}/donations"
    by_receipt = (await funds.get(url, params={"receipt_number": "JZ-0001"})).json()["items"]
    refunded_only = (await funds.get(url, params={"refunded": "true"})).json()["items"]
    later = (await funds.get(url, params={"limit": 2})).json()["next_cursor"]
    rest = (await funds.get(url, params={"limit": 2, "cursor": later})).json()["items"]
    assert [d["number"] for d in by_receipt + refunded_only + rest] == [1, 2, 3]

    page = await funds.get(f"/funds/{fund_id}/donations/{third}/acknowledgement?format=html")
    assert page.status_code == 200, page.text
    assert "丰山社区慈善基金 确认书编号：000003" in page.text

"""A rule the funds API checks across a request's fields is a 422 naming the field to fill in
(not `body`), with a type of its own, and changes nothing."""


async def donation(funds, fund_id: str) -> str:
    body = {"amount_fen": 10_000, "donor_kind": "individual"}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def test_a_refund_without_reason_or_note_is_a_422_naming_note_and_refunds_nothing(
    funds, fund
):
    fund_id = await fund(0)
    donation_id = await donation(funds, fund_id)
    url = f"/funds/{fund_id}/donations/{donation_id}/refund"

    response = await funds.post(url, json={"amount_fen": 1_000})

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == ("note", "refund_unexplained")
    assert "reason" in error["message"]
    assert response.json()["detail"] == f"note: {error['message']}"
    [listed] = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    assert listed["refunded_fen"] == 0

"""A fund's donations asked for a period that ends before it starts: a 422 in the API's one
error shape, naming `received_to`."""


async def test_a_reversed_period_of_donations_is_a_422_naming_received_to(funds, fund):
    fund_id = await fund(0)
    dates = {"received_from": "2026-05-02", "received_to": "2026-05-01"}

    response = await funds.get(f"/funds/{fund_id}/donations", params=dates)

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == ("query.received_to", "period_reversed")
    assert dates["received_from"] in error["message"]
    assert response.json()["detail"].startswith("query.received_to: ")

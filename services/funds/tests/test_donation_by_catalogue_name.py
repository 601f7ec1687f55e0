"""Receiving a donation takes the catalogue's name for the donor's published name,
`donor_display` (DESIGN §5), as well as `donor_name` with `publish_donor_name`."""

RECEIVED = "wushe.funds.donation.received.v1"


async def displays(sql, fund_id: str) -> list[str | None]:
    rows = await sql(
        "SELECT data->>'donor_display' FROM funds.events WHERE event_type = $1 "
        "AND aggregate_id = $2 ORDER BY version",
        RECEIVED,
        fund_id,
    )
    return [row[0] for row in rows]


async def donate(funds, fund_id: str, **more):
    body = {"amount_fen": 5_000, "donor_kind": "enterprise", **more}
    return await funds.post(f"/funds/{fund_id}/donations", json=body)


async def test_a_donor_display_is_published_as_it_says(funds, fund, sql):
    fund_id = await fund(0)
    answer = await donate(funds, fund_id, donor_display="余姚某电器有限公司")
    assert answer.status_code == 201, answer.text
    assert answer.json()["donor_name_kept"] is True
    assert answer.json()["note"] is None
    # With publish_donor_name true it says the same.
    again = await donate(funds, fund_id, donor_display="阳明商会", publish_donor_name=True)
    assert again.status_code == 201, again.text
    assert await displays(sql, fund_id) == ["余姚某电器有限公司", "阳明商会"]
    listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    assert [d["donor_display"] for d in listed] == ["余姚某电器有限公司", "阳明商会"]


async def test_donor_name_with_consent_is_taken_as_before(funds, fund, sql):
    fund_id = await fund(0)
    answer = await donate(funds, fund_id, donor_name="阳明商会", publish_donor_name=True)
    assert answer.status_code == 201, answer.text
    withheld = await donate(funds, fund_id, donor_name="王先生")
    assert withheld.json()["donor_name_kept"] is False
    assert await displays(sql, fund_id) == ["阳明商会", None]


async def test_a_retry_by_the_other_name_is_the_same_donation(funds, fund):
    fund_id = await fund(0)
    first = await donate(
        funds, fund_id, donor_name="阳明商会", publish_donor_name=True, receipt_number="R-77"
    )
    assert first.status_code == 201, first.text
    retried = await donate(funds, fund_id, donor_display="阳明商会", receipt_number="R-77")
    assert retried.status_code == 200, retried.text
    assert retried.json()["donation_id"] == first.json()["donation_id"]


async def test_refused_and_nothing_recorded(funds, fund, sql):
    fund_id = await fund(0)
    wrongs = {
        "donor_display": {"donor_display": "阳明商会", "donor_name": "阳明商会"},
        "publish_donor_name": {"donor_display": "阳明商会", "publish_donor_name": False},
    }
    for field, body in wrongs.items():
        refused = await donate(funds, fund_id, **body)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        assert "阳明商会" not in refused.text  # the name is not echoed back
    too_long = await donate(funds, fund_id, donor_display="名" * 101)
    assert too_long.status_code == 422, too_long.text
    assert [e["field"] for e in too_long.json()["errors"]] == ["donor_display"]
    assert await displays(sql, fund_id) == []

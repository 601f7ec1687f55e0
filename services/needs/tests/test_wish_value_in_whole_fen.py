"""A micro-wish's value is sent as an integer of fen, as the funds service's money is: `"45.50"`,
`45.0` or `true` — yuan most likely meant — is a 422 naming `estimated_value_fen`, never a wish
of 45 fen (or 1) on the public board; nothing is posted."""

import pytest


@pytest.mark.parametrize("value", ["45.50", 4550.0, True, "1e4"])
async def test_a_wish_valued_other_than_in_whole_fen_is_refused_naming_its_value(
    needs, community, wish_body, value
):
    await community()

    refused = await needs.post("/wishes", json=wish_body(estimated_value_fen=value))

    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["estimated_value_fen"]
    assert refused.json()["errors"][0]["type"] == "fen_not_whole"
    assert (await needs.get("/public/wishes")).json()["items"] == []


@pytest.mark.parametrize("value", [4_550, "4550"])
async def test_a_wish_valued_in_whole_fen_is_posted(needs, community, wish_body, value):
    await community()

    posted = await needs.post("/wishes", json=wish_body(estimated_value_fen=value))

    assert posted.status_code == 201, posted.text
    wish = (await needs.get(f"/wishes/{posted.json()['wish_id']}")).json()
    assert wish["value_fen"] == 4_550

"""Registering a volunteer who consents to show a public name: the name is required, as on
the join form, so that a consent is never recorded for nothing the coordinator can see."""

from .conftest import VOLUNTEER


async def test_consent_to_show_a_name_without_the_name_is_a_422_and_registers_nobody(
    volunteers,
):
    refused = await volunteers.post("/volunteers", json=VOLUNTEER | {"show_name_publicly": True})

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["field"], error["type"]) == ("show_name_publicly", "display_name_required")
    assert (await volunteers.get("/volunteers")).json()["items"] == []
    # Nothing kept: the same phone registers at once, with the name to show.
    named = VOLUNTEER | {"show_name_publicly": True, "display_name": "小刘志愿者"}
    registered = await volunteers.post("/volunteers", json=named)
    assert registered.status_code == 201, registered.text
    shown = (await volunteers.get(f"/volunteers/{registered.json()['volunteer_id']}")).json()
    assert shown["display_name"] == "小刘志愿者"


async def test_without_consent_no_name_is_needed(volunteers):
    registered = await volunteers.post("/volunteers", json=VOLUNTEER)

    assert registered.status_code == 201, registered.text

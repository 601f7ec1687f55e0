"""A public name given without the consent to show it is kept nowhere, and the answer says so
(`display_name_kept: false` and a `note`), as a donation's donor name without consent."""

from wushe_service import testing

from .conftest import VOLUNTEER

NAME = "小刘志愿者"


async def test_a_name_without_consent_is_said_not_kept(volunteers, database_url):
    registered = await volunteers.post("/volunteers", json=VOLUNTEER | {"display_name": NAME})

    assert registered.status_code == 201, registered.text
    answer = registered.json()
    assert answer["display_name_kept"] is False
    assert "display_name was not kept" in answer["note"]
    assert "show_name_publicly" in answer["note"]
    shown = (await volunteers.get(f"/volunteers/{answer['volunteer_id']}")).json()
    assert shown["display_name"] is None
    stored = await testing.sql(database_url)("SELECT data::text FROM volunteers.events")
    assert stored
    assert all(NAME not in row[0] for row in stored)


async def test_a_name_with_consent_is_kept_and_no_note(volunteers):
    named = VOLUNTEER | {"display_name": NAME, "show_name_publicly": True}
    registered = await volunteers.post("/volunteers", json=named)

    assert registered.status_code == 201, registered.text
    assert (registered.json()["display_name_kept"], registered.json()["note"]) == (True, None)
    shown = (await volunteers.get(f"/volunteers/{registered.json()['volunteer_id']}")).json()
    assert shown["display_name"] == NAME


async def test_no_name_given_is_no_name_kept_without_a_note(volunteers):
    registered = await volunteers.post("/volunteers", json=VOLUNTEER)

    assert registered.status_code == 201, registered.text
    assert (registered.json()["display_name_kept"], registered.json()["note"]) == (False, None)

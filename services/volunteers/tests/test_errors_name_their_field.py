"""A rule the volunteers API checks across a request's fields is a 422 naming the field to
fill in (not `body`), with a type of its own, and registers nobody."""

import pytest
from pydantic import ValidationError

from wushe_volunteers.commands.people import FindVolunteers

VOLUNTEER = {
    "name": "李明",
    "phone": "13912345678",
    "community_id": "fengshan",
    "certification": "assistant",
}


async def test_a_certified_volunteer_without_a_certificate_number_is_a_422_naming_it(volunteers):
    response = await volunteers.post("/volunteers", json=VOLUNTEER)

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == (
        "certificate_number",
        "certificate_number_required",
    )
    assert response.json()["detail"] == f"certificate_number: {error['message']}"
    assert "李明" not in response.text
    listed = await volunteers.get("/volunteers")
    assert listed.json()["items"] == []


async def test_a_search_for_nobody_is_a_422_naming_name_and_phone(volunteers):
    response = await volunteers.post("/volunteers/search", json={})

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == ("name", "nothing_to_find")
    assert "phone" in error["message"]


def test_the_command_says_the_field_in_its_error_context():
    with pytest.raises(ValidationError) as refused:
        FindVolunteers()
    [error] = refused.value.errors()
    assert error["ctx"] == {"field": "name"}

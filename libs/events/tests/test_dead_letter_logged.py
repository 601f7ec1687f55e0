"""A dead letter's log line keeps the error, never the input pydantic repeats (an event's data
whole, with a public name in it)."""

from uuid import uuid4

import pytest
from pydantic import ValidationError

from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.consumer import logged


def test_the_input_pydantic_repeats_is_left_out_of_the_log():
    data = {"volunteer_id": str(uuid4()), "community_id": "fengshan", "display_name": "小王同学"}
    with pytest.raises(ValidationError) as raised:
        VolunteerRegistered.model_validate(data)
    line = logged(f"ValidationError: {raised.value}")
    assert line.startswith(
        "ValidationError: 1 validation error for VolunteerRegistered\ncertification\n"
        "  Field required [type=missing, input_value=(withheld), input_type=dict]"
    )
    assert "小王" not in line


def test_a_reason_without_input_is_logged_as_it_is_up_to_200_characters():
    assert logged("Poison: cannot apply late-a yet") == "Poison: cannot apply late-a yet"
    assert logged("x" * 250) == "x" * 200

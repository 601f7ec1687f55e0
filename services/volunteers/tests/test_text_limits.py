"""A coordinator's note or an applicant's availability past its cap fails as any text does
(`string_too_long`, "at most N characters"; 最多 N 个字 on the join form), changing nothing;
and the workbench's boxes take what the API takes."""

import pytest
from pydantic import ValidationError

from wushe_service import testing
from wushe_service.testing import input_limits, max_length
from wushe_volunteers.commands.activities import CancelActivity, EnterAttendance
from wushe_volunteers.commands.applications import SubmitApplication
from wushe_volunteers.commands.hours import Correct, Decline

from .test_name_limits import ANYONE, JOIN


@pytest.fixture
def count_events(database_url):
    sql = testing.sql(database_url)

    async def count() -> int:
        [row] = await sql("SELECT count(*) FROM volunteers.events")
        return int(row[0])

    return count


async def test_a_note_past_2000_characters_fails_as_any_text_does(
    volunteers, team, activity, count_events
):
    team_id, _ = await team()
    activity_id = await activity(team_id)
    before = await count_events()

    url = f"/activities/{activity_id}/cancel"
    answer = await volunteers.post(url, json={"reason": "weather", "note": "雨" * 2001})

    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {"field": "note", "message": "at most 2000 characters", "type": "string_too_long"}
    ]
    assert await count_events() == before
    assert (await volunteers.get(f"/activities/{activity_id}")).json()["state"] != "cancelled"

    taken = await volunteers.post(url, json={"reason": "weather", "note": "雨" * 2000})
    assert taken.status_code < 300, taken.text


@pytest.mark.parametrize("command", [Decline, Correct, CancelActivity, EnterAttendance])
def test_every_note_has_the_one_cap_and_fails_past_it_as_text(command):
    assert max_length(command, "note") == 2000
    with pytest.raises(ValidationError) as refused:
        command.model_validate({"note": "长" * 2001})
    assert [e["type"] for e in refused.value.errors() if e["loc"] == ("note",)] == [
        "string_too_long"
    ]


async def test_the_workbench_s_note_boxes_hold_what_the_api_takes(volunteers):
    page = await volunteers.get("/workbench")
    assert page.status_code == 200, page.text
    limits = input_limits(page.text)

    assert limits["cancel-form", "note"] == max_length(CancelActivity, "note")
    assert limits["walkin-form", "note"] == max_length(EnterAttendance, "note")
    assert limits["correct-form", "note"] == max_length(Correct, "note")
    assert limits["decline-form", "note"] == max_length(Decline, "note")


async def test_availability_past_200_characters_is_said_as_a_cap_on_the_join_form(
    volunteers, count_events
):
    before = await count_events()
    form = await volunteers.get("/join", headers=ANYONE)
    assert input_limits(form.text)["", "availability"] == max_length(
        SubmitApplication, "availability"
    ) == 200  # fmt: skip

    answer = await volunteers.post(
        "/join", data={**JOIN, "availability": "周" * 201}, headers=ANYONE
    )

    assert answer.status_code == 422, answer.text
    assert "最多 200 个字" in answer.text
    assert "选得太多了" not in answer.text  # a list's words, once given for a long text
    assert await count_events() == before

    taken = await volunteers.post(
        "/join", data={**JOIN, "availability": "周" * 200}, headers=ANYONE
    )
    assert taken.status_code == 200, taken.text

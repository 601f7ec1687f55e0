"""The caps on names and titles hold (a `Field(max_length=50)` beside `Name` once gave way to
Name's 200): one over is a 422 naming the field, worded 最多 N 个字 on the join form, and
changes nothing; at the cap it is taken."""

from datetime import UTC, datetime, timedelta

import pytest

from wushe_service import testing

from .conftest import VOLUNTEER

ANYONE = {"Authorization": ""}
JOIN = {
    "name": "陈小燕",
    "phone": "13812345678",
    "community_id": "fengshan",
    "birth_month": "1990-05",
    "consent_personal_data": "yes",
    "website": "",
}


@pytest.fixture
def count_events(database_url):
    sql = testing.sql(database_url)

    async def count() -> int:
        [row] = await sql("SELECT count(*) FROM volunteers.events")
        return int(row[0])

    return count


def refused(answer, field: str, limit: int) -> None:
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == field
    assert error["type"] == "string_too_long"
    assert error["message"] == f"at most {limit} characters"


async def test_a_volunteer_s_name_is_at_most_50_characters(volunteers, count_events):
    before = await count_events()
    answer = await volunteers.post("/volunteers", json={**VOLUNTEER, "name": "李" * 51})
    refused(answer, "name", 50)
    assert await count_events() == before

    taken = await volunteers.post("/volunteers", json={**VOLUNTEER, "name": "李" * 50})
    assert taken.status_code == 201, taken.text


async def test_a_search_by_name_is_at_most_50_characters(volunteers):
    refused(await volunteers.post("/volunteers/search", json={"name": "李" * 51}), "name", 50)


async def test_an_account_s_name_is_at_most_50_characters(volunteers):
    before = (await volunteers.get("/accounts")).json()["items"]
    answer = await volunteers.post("/accounts", json={"role": "viewer", "name": "张" * 51})
    refused(answer, "name", 50)
    assert (await volunteers.get("/accounts")).json()["items"] == before

    taken = await volunteers.post("/accounts", json={"role": "viewer", "name": "张" * 50})
    assert taken.status_code == 201, taken.text


async def test_an_applicant_s_name_is_at_most_50_characters_said_in_chinese(
    volunteers, count_events
):
    before = await count_events()
    answer = await volunteers.post("/join", data={**JOIN, "name": "陈" * 51}, headers=ANYONE)
    assert answer.status_code == 422, answer.text
    assert "最多 50 个字" in answer.text
    assert await count_events() == before

    taken = await volunteers.post("/join", data={**JOIN, "name": "陈" * 50}, headers=ANYONE)
    assert taken.status_code == 200, taken.text
    assert await count_events() > before


async def test_an_activity_s_title_is_at_most_100_characters(volunteers, team, count_events):
    team_id, _ = await team()
    starts = datetime.now(UTC) + timedelta(days=3)
    body = {
        "team_id": team_id,
        "community_id": "fengshan",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 10,
    }
    before = await count_events()
    refused(await volunteers.post("/activities", json={**body, "title": "理" * 101}), "title", 100)
    assert await count_events() == before

    taken = await volunteers.post("/activities", json={**body, "title": "理" * 100})
    assert taken.status_code == 201, taken.text

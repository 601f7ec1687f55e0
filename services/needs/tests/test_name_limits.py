"""The caps on names and titles hold (a `Field(max_length=50)` beside `Name` once gave way to
Name's 200): one over is a 422 naming the field and changes nothing; at the cap it is taken."""

from .conftest import RESIDENT


def refused(answer, field: str, limit: int) -> None:
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == field
    assert error["type"] == "string_too_long"
    assert error["message"] == f"at most {limit} characters"


async def test_a_resident_s_name_is_at_most_50_characters(needs, community, count_events):
    await community()
    before = await count_events()
    refused(await needs.post("/residents", json={**RESIDENT, "name": "王" * 51}), "name", 50)
    assert await count_events() == before

    taken = await needs.post("/residents", json={**RESIDENT, "name": "王" * 50})
    assert taken.status_code == 201, taken.text


async def test_a_corrected_name_is_at_most_50_characters(needs, resident, count_events):
    resident_id = await resident()
    before = await count_events()
    answer = await needs.post(f"/residents/{resident_id}/correct", json={"name": "王" * 51})
    refused(answer, "name", 50)
    assert await count_events() == before

    taken = await needs.post(f"/residents/{resident_id}/correct", json={"name": "王" * 50})
    assert taken.status_code < 300, taken.text
    assert await count_events() > before


async def test_a_search_by_name_is_at_most_50_characters(needs):
    refused(await needs.post("/residents/search", json={"name": "王" * 51}), "name", 50)


async def test_a_wish_s_title_is_at_most_100_characters(needs, community, count_events, wish_body):
    await community()
    before = await count_events()
    refused(await needs.post("/wishes", json=wish_body(title="书" * 101)), "title", 100)
    assert await count_events() == before

    taken = await needs.post("/wishes", json=wish_body(title="书" * 100))
    assert taken.status_code == 201, taken.text

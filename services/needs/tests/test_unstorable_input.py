"""Text the validation lets through but PostgreSQL cannot store, and names that are no names:
each a 422, and nothing is count_events."""

import pytest


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "丰山\n社区"}, "name"),
        ({"street": "阳明\u0000街道"}, "street"),
        ({"street": "\t"}, "street"),
    ],
)
async def test_a_blank_or_multi_line_name_is_a_422_naming_it(needs, count_events, body, field):
    before = await count_events()
    response = await needs.post(
        "/communities",
        json={"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道", **body},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await count_events() == before


async def test_a_name_is_kept_without_the_spaces_around_it(needs):
    response = await needs.post(
        "/communities",
        json={"community_id": "fengshan", "name": " 丰山社区 ", "street": "阳明街道"},
    )
    assert response.status_code == 201, response.text
    [listed] = (await needs.get("/communities")).json()["items"]
    assert listed["name"] == "丰山社区"


async def test_a_nul_character_in_a_wish_title_is_a_422_and_changes_nothing(
    needs, community, count_events, wish_body
):
    await community()
    before = await count_events()
    response = await needs.post("/wishes", json=wish_body(title="一台\u0000收音机"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "title"
    assert await count_events() == before

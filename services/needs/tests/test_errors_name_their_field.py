"""A rule the needs API checks across a request's fields is a 422 naming the field to fill in
(not `body`), with a type of its own, and changes nothing."""

import pytest


class TestPostWish:
    async def test_a_wish_of_no_community_nor_need_is_a_422_naming_community_id(
        self, needs, community, wish_body, count_events
    ):
        await community()
        before = await count_events()
        body = wish_body()
        del body["community_id"]

        response = await needs.post("/wishes", json=body)

        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["type"]) == ("community_id", "community_required")
        assert "need_id" in error["message"]
        assert response.json()["detail"] == f"community_id: {error['message']}"
        assert await count_events() == before


class TestFindResidents:
    async def test_a_search_for_nothing_is_a_422_naming_name_and_its_alternatives(self, needs):
        response = await needs.post("/residents/search", json={})

        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["type"]) == ("name", "nothing_to_find")
        assert all(other in error["message"] for other in ("id_number", "phone"))


class TestCorrectResident:
    @pytest.mark.parametrize("body", [{}, {"not_a_duplicate": True}])
    async def test_a_correction_of_nothing_is_a_422_naming_a_field_to_correct(
        self, needs, resident, count_events, body
    ):
        rid = await resident()
        before = await count_events()

        response = await needs.post(f"/residents/{rid}/correct", json=body)

        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["type"]) == ("name", "nothing_to_correct")
        assert all(other in error["message"] for other in ("groups", "community_id"))
        assert await count_events() == before

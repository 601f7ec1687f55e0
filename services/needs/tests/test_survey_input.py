"""What a survey takes: whole-number levels, each need once, a need already open not listed
twice — against the real PostgreSQL and NATS."""

import json

import pytest


def survey(resident_id, levels, *needs, **more):
    return {
        "resident_id": resident_id,
        "method": "home_visit",
        "dimensions": levels,
        "needs": [{"category": c, "dimension": d, "urgency": u} for c, d, u in needs],
        **more,
    }


class TestLevels:
    @pytest.mark.parametrize(
        ("dimension", "value"),
        [("physical", "2"), ("psychological", 2.0), ("spiritual", True), ("material", False)],
    )
    async def test_a_level_that_is_not_a_whole_number_is_a_422_naming_the_dimension(
        self, needs, resident, levels, count_events, dimension, value
    ):
        rid = await resident()
        before = await count_events()
        response = await needs.post("/surveys", json=survey(rid, {**levels, dimension: value}))
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [f"dimensions.{dimension}"]
        assert "whole number" in response.json()["detail"]
        assert await count_events() == before

    async def test_whole_number_levels_are_taken(self, needs, resident, levels):
        rid = await resident()
        response = await needs.post("/surveys", json=survey(rid, {**levels, "spiritual": 0}))
        assert response.status_code == 201, response.text


class TestNeedsOnce:
    async def test_the_same_need_twice_in_one_survey_is_a_422_naming_the_second(
        self, needs, resident, levels, count_events
    ):
        rid = await resident()
        before = await count_events()
        twice = ("health-check", "physical", "low")
        response = await needs.post(
            "/surveys",
            json=survey(rid, levels, ("repair", "material", "low"), twice, twice),
        )
        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert error["field"] == "needs.2"
        assert "needs.1" in error["message"]
        assert await count_events() == before

    async def test_a_category_by_its_label_is_the_same_need_as_by_its_slug(
        self, needs, resident, levels
    ):
        rid = await resident()
        response = await needs.post(
            "/surveys",
            json=survey(
                rid, levels, ("meal-delivery", "material", "low"), ("送餐", "material", "high")
            ),
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "needs.1"

    async def test_the_same_category_in_another_dimension_is_another_need(
        self, needs, resident, levels
    ):
        rid = await resident()
        response = await needs.post(
            "/surveys",
            json=survey(
                rid,
                levels,
                ("health-check", "physical", "low"),
                ("health-check", "psychological", "low"),
            ),
        )
        assert response.status_code == 201, response.text
        assert len(set(response.json()["need_ids"])) == 2


class TestNeedsAlreadyOpen:
    async def test_a_need_found_again_is_answered_as_already_open_not_listed_twice(
        self, needs, resident, levels, surveyed, count_events
    ):
        rid = await resident()
        [open_need] = await surveyed(rid, ("health-check", "physical", "low"), days_ago=30)
        before = await count_events()
        again = await needs.post(
            "/surveys",
            json=survey(
                rid,
                levels,
                ("health-check", "physical", "high"),
                ("repair", "material", "low"),
            ),
        )
        assert again.status_code == 201, again.text
        answer = again.json()
        assert answer["need_ids"][0] == open_need
        assert answer["already_open"] == [
            {"need_id": open_need, "category": "health-check", "dimension": "physical"}
        ]
        assert await count_events() == before + 2  # the survey, and the one new need
        listed = (await needs.get("/communities/fengshan/needs")).json()
        assert sorted(n["need_id"] for n in listed["items"]) == sorted(answer["need_ids"])
        shown = (await needs.get(f"/surveys/{answer['survey_id']}")).json()
        assert [(n["need_id"], n["already_open"]) for n in shown["needs"]] == [
            (open_need, True),
            (answer["need_ids"][1], False),
        ]

    async def test_the_survey_event_still_lists_every_need_it_found(
        self, needs, resident, levels, surveyed, sql
    ):
        rid = await resident()
        [open_need] = await surveyed(rid, ("health-check", "physical", "low"))
        again = await needs.post(
            "/surveys", json=survey(rid, levels, ("health-check", "physical", "low"))
        )
        [data] = await sql(
            "SELECT data FROM needs.events WHERE aggregate = 'survey' AND aggregate_id = $1",
            again.json()["survey_id"],
        )
        [listed] = json.loads(data[0])["needs"]
        assert (listed["need_id"], listed["already_open"]) == (open_need, True)
        identified = await sql(
            "SELECT count(*) FROM needs.events WHERE event_type = $1",
            "wushe.needs.need.identified.v1",
        )
        assert identified[0][0] == 1

    async def test_a_need_that_ended_is_identified_anew(self, needs, resident, levels, surveyed):
        rid = await resident()
        [ended] = await surveyed(rid, ("health-check", "physical", "low"))
        closed = await needs.post(
            f"/needs/{ended}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
        )
        assert closed.status_code == 200, closed.text
        again = await needs.post(
            "/surveys", json=survey(rid, levels, ("health-check", "physical", "low"))
        )
        assert again.json()["already_open"] == []
        assert again.json()["need_ids"] != [ended]

    async def test_notes_on_a_need_already_open_are_a_409_and_change_nothing(
        self, needs, resident, levels, surveyed, count_events
    ):
        rid = await resident()
        await surveyed(rid, ("health-check", "physical", "low"))
        before = await count_events()
        body = survey(rid, levels)
        body["needs"] = [{"category": "health-check", "dimension": "physical", "notes": "血压偏高"}]
        refused = await needs.post("/surveys", json=body)
        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "need_already_open"
        assert "needs.0.notes" in refused.json()["detail"]
        assert "血压偏高" not in refused.text
        assert await count_events() == before

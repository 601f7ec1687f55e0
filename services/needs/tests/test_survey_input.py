"""What a survey takes: whole-number levels, each need once, a need already open not listed
twice — against the real PostgreSQL and NATS."""

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

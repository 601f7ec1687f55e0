"""The needs API over HTTP, against the real PostgreSQL and NATS."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest

from wushe_service.auth import Role

RESIDENT = {
    "community_id": "fengshan",
    "groups": ["elderly_alone"],
    "birth_year": 1949,
    "name": "王秀英",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "address": "丰山社区3幢2单元101",
    "notes": "独居，行动不便",
}
LEVELS = {"physical": 2, "psychological": 1, "material": 3, "spiritual": 0}


async def community(needs, slug="fengshan"):
    response = await needs.post(
        "/communities", json={"community_id": slug, "name": "丰山社区", "street": "阳明街道"}
    )
    assert response.status_code == 201, response.text
    return response.json()["community_id"]


async def resident(needs, **changes):
    await community(needs)
    response = await needs.post("/residents", json={**RESIDENT, **changes})
    assert response.status_code == 201, response.text
    return response.json()["resident_id"]


class TestCommunities:
    async def test_a_community_is_registered_with_its_slug(self, needs):
        assert await community(needs) == "fengshan"

    async def test_registering_it_twice_is_a_conflict_naming_the_rule(self, needs):
        await community(needs)
        response = await needs.post(
            "/communities",
            json={"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"},
        )
        assert response.status_code == 409
        assert response.json()["rule"] == "community_exists"

    async def test_a_second_community_of_one_name_in_a_street_is_a_conflict(
        self, needs, count_events
    ):
        await community(needs)
        before = await count_events()
        attempts = [
            {"name": "丰 山 社区", "street": "阳明街道"},  # the same name, spaced
            {"community_id": "fengshan-2", "name": "丰山社区", "street": "阳明 街道"},
        ]
        for body in attempts:
            response = await needs.post("/communities", json=body)
            assert response.status_code == 409, body
            assert response.json()["rule"] == "community_exists"
            assert "fengshan" in response.json()["detail"]
        elsewhere = {"community_id": "fengshan-b", "name": "丰山社区", "street": "梨洲街道"}
        assert (await needs.post("/communities", json=elsewhere)).status_code == 201
        renamed = await needs.post(
            "/communities/fengshan-b/rename", json={"name": "丰山社区", "street": "阳明街道"}
        )
        assert renamed.status_code == 409
        assert await count_events() == before + 1

    async def test_two_registrations_of_one_name_at_once_make_one_community(self, needs):
        body = {"name": "江南社区", "street": "阳明街道"}
        answers = await asyncio.gather(*(needs.post("/communities", json=body) for _ in range(5)))
        assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409]


class TestResidents:
    async def test_personal_data_is_stored_sealed_and_read_back_by_a_social_worker(
        self,
        needs,
        token_for,
        database_url,
    ):
        rid = await resident(needs)
        view = (
            await needs.get(f"/residents/{rid}", headers=await token_for(Role.social_worker))
        ).json()
        assert view["personal_data"]["name"] == "王秀英"
        assert view["age_band"] == "70_79"
        connection = await asyncpg.connect(database_url)
        try:
            rows = await connection.fetch("SELECT * FROM needs.personal_data")
            events = await connection.fetch("SELECT data::text FROM needs.events")
        finally:
            await connection.close()
        stored = repr([dict(r) for r in rows]) + repr([dict(e) for e in events])
        for secret in ("王秀英", "11010519491231002X", "13812345678", "丰山社区3幢"):
            assert secret not in stored
            assert secret.encode() not in rows[0]["ciphertext"]

    async def test_an_auditor_sees_pseudonymous_data_only(self, needs, token_for):
        rid = await resident(needs)
        view = (await needs.get(f"/residents/{rid}", headers=await token_for(Role.auditor))).json()
        assert view["personal_data"] is None
        assert view["groups"] == ["elderly_alone"]

    @pytest.mark.parametrize("role", [Role.volunteer, Role.viewer, Role.coordinator])
    async def test_case_files_are_not_for_volunteers_viewers_or_coordinators(
        self, needs, token_for, role
    ):
        rid = await resident(needs)
        survey = {"resident_id": rid, "method": "home_visit", "dimensions": LEVELS}
        survey_id = (await needs.post("/surveys", json=survey)).json()["survey_id"]
        headers = await token_for(role)
        for path in (
            "/residents",
            "/residents/due",
            f"/residents/{rid}",
            f"/residents/{rid}/timeline",
            "/surveys",
            f"/surveys/{survey_id}",
        ):
            response = await needs.get(path, headers=headers)
            assert response.status_code == 403, path

    async def test_whom_a_wish_or_need_is_for_is_not_shown_to_a_volunteer(self, needs, token_for):
        rid = await resident(needs)
        found = [{"category": "meal-delivery", "dimension": "material", "urgency": "high"}]
        survey = {"resident_id": rid, "method": "phone", "dimensions": LEVELS, "needs": found}
        [need_id] = (await needs.post("/surveys", json=survey)).json()["need_ids"]
        deadline = (datetime.now(UTC) + timedelta(days=7)).isoformat()
        wish = {
            "need_id": need_id,
            "category": "meal",
            "title": "送餐",
            "deadline": deadline,
            "estimated_value_fen": 1000,
        }
        wish_id = (await needs.post("/wishes", json=wish)).json()["wish_id"]
        volunteer = await token_for(Role.volunteer)
        for path in (
            "/wishes",
            f"/wishes/{wish_id}",
            "/communities/fengshan/needs?state=matched",
            f"/needs/{need_id}",
        ):
            response = await needs.get(path, headers=volunteer)
            assert response.status_code == 200, path
            assert rid not in response.text, path
        assert rid in (await needs.get(f"/wishes/{wish_id}")).text  # staff see it

    async def test_an_unknown_community_is_a_422_naming_the_field(self, needs, count_events):
        response = await needs.post("/residents", json={**RESIDENT, "community_id": "nowhere"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "community_id"
        assert await count_events() == 0

    async def test_an_unknown_resident_is_a_404(self, needs):
        response = await needs.get("/residents/6a1f3f7e-8c1e-4a55-9a3c-1f1e2d3c4b5a")
        assert response.status_code == 404

    async def test_residents_list_in_the_order_they_were_registered(self, needs):
        first = await resident(needs)
        later = []
        for _ in range(2):  # without an ID number: one ID number is one resident
            response = await needs.post(
                "/residents", json={**RESIDENT, "id_number": None, "not_a_duplicate": True}
            )
            later.append(response.json()["resident_id"])
        page = (await needs.get("/residents?limit=2")).json()
        rest = (await needs.get(f"/residents?limit=2&cursor={page['next_cursor']}")).json()
        listed = [r["resident_id"] for r in page["items"] + rest["items"]]
        assert listed == [first, *later]


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "field", "kind"),
        [
            ({"groups": ["elderly", "astronaut"]}, "groups.1", "enum"),
            ({"birth_year": 1850}, "birth_year", "greater_than_equal"),
            ({"birth_year": 1900, "id_number": None}, "birth_year", "birth_year_too_old"),
            ({"birth_year": 2100, "id_number": None}, "birth_year", "in_the_future"),
            ({"id_number": "110105194912310021"}, "id_number", "id_number_check"),
            ({"id_number": "1101051949123100"}, "id_number", "id_number_form"),
            ({"phone": "12345"}, "phone", "phone_form"),
            ({"nickname": "王奶奶"}, "nickname", "extra_forbidden"),
            # Differs from the ID number's birth date: the year is named, not the whole body.
            ({"birth_year": 1950}, "birth_year", "birth_year_id_number"),
            (
                {"groups": ["child"], "birth_year": 1980, "id_number": None},
                "groups",
                "group_under_18",
            ),
            (
                {"groups": ["left_behind_child"], "birth_year": 1980, "id_number": None},
                "groups",
                "group_under_16",
            ),
            (
                {"groups": ["elderly_alone"], "birth_year": 2001, "id_number": None},
                "groups",
                "group_60_or_over",
            ),
            ({"groups": []}, "groups", "too_short"),
            ({"id_number": "３３０２８１１９６０１１１１００２１"}, "id_number", "id_number_check"),
        ],
    )
    async def test_bad_resident_fields_get_a_422_naming_them_and_append_nothing(
        self, needs, count_events, change, field, kind
    ):
        """Each error names its field, and where a page words it in Chinese, what is wrong in
        a stable `type` (forms.js WORDS)."""
        await community(needs)
        before = await count_events()
        response = await needs.post("/residents", json={**RESIDENT, **change})
        assert response.status_code == 422, response.text
        types = {e["field"]: e["type"] for e in response.json()["errors"]}
        assert field in types
        if kind is not None:
            assert types[field] == kind
        assert "王秀英" not in response.text  # input is never echoed back
        assert await count_events() == before

    async def test_a_level_out_of_range_is_a_422_naming_the_dimension(self, needs, count_events):
        rid = await resident(needs)
        before = await count_events()
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "home_visit",
                "dimensions": {**LEVELS, "material": 4},
            },
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "dimensions.material"
        assert await count_events() == before

    async def test_an_unknown_dimension_is_a_422_naming_it(self, needs):
        rid = await resident(needs)
        response = await needs.post(
            "/surveys",
            json={"resident_id": rid, "method": "phone", "dimensions": {**LEVELS, "social": 1}},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "dimensions.social"

    async def test_an_unknown_survey_method_is_a_422(self, needs):
        rid = await resident(needs)
        response = await needs.post(
            "/surveys", json={"resident_id": rid, "method": "telepathy", "dimensions": LEVELS}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "method"

    async def test_malformed_json_is_a_422(self, needs, count_events):
        response = await needs.post(
            "/communities",
            content='{"name": "丰山'.encode(),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "body"
        assert error["message"].startswith("not valid JSON (at character ")
        assert await count_events() == 0

    async def test_a_missing_token_is_a_401_and_appends_nothing(self, needs, count_events):
        response = await needs.post(
            "/communities",
            headers={"Authorization": ""},
            json={"name": "丰山社区", "street": "阳明街道"},
        )
        assert response.status_code == 401
        assert "bearer token" in response.json()["detail"]
        assert await count_events() == 0

    async def test_a_wrong_token_is_a_401(self, needs):
        response = await needs.post(
            "/communities",
            headers={"Authorization": "Bearer nope"},
            json={"name": "丰山社区", "street": "阳明街道"},
        )
        assert response.status_code == 401

    async def test_a_role_that_may_not_is_a_403_naming_the_role(self, needs, token_for):
        response = await needs.post(
            "/communities",
            headers=await token_for(Role.volunteer),
            json={"name": "丰山社区", "street": "阳明街道"},
        )
        assert response.status_code == 403
        assert "volunteer" in response.json()["detail"]

    async def test_a_token_of_another_office_is_a_403(self, needs, token_for):
        response = await needs.post(
            "/communities",
            headers=await token_for(Role.social_worker, office="weifang"),
            json={"name": "丰山社区", "street": "阳明街道"},
        )
        assert response.status_code == 403
        assert "weifang" in response.json()["detail"]


class TestSurveys:
    async def test_a_survey_is_recorded_with_its_needs_and_read_back(self, needs):
        rid = await resident(needs)
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "home_visit",
                "dimensions": LEVELS,
                "needs": [
                    {"category": "meal-delivery", "dimension": "material", "urgency": "high"}
                ],
            },
        )
        assert response.status_code == 201, response.text
        created = response.json()
        survey = (await needs.get(f"/surveys/{created['survey_id']}")).json()
        assert survey["community_id"] == "fengshan"
        assert survey["dimensions"] == LEVELS
        assert [n["need_id"] for n in survey["needs"]] == created["need_ids"]

    async def test_a_survey_dated_in_the_future_is_a_422(self, needs, count_events):
        rid = await resident(needs)
        before = await count_events()
        ahead = (datetime.now(UTC) + timedelta(days=365)).isoformat()
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "home_visit",
                "dimensions": LEVELS,
                "surveyed_at": ahead,
            },
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "surveyed_at"
        assert response.json()["errors"][0]["type"] == "in_the_future"
        assert await count_events() == before

    async def test_a_survey_dated_before_the_resident_was_born_is_a_422_naming_the_rule(
        self, needs, count_events
    ):
        rid = await resident(
            needs,
            birth_year=2018,
            id_number=None,
            groups=["child"],
            consent={"given_by": "guardian"},
        )
        before = await count_events()
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "home_visit",
                "dimensions": LEVELS,
                "surveyed_at": "2010-05-01T02:00:00Z",
            },
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "surveyed_at"
        assert "before the resident was born" in response.json()["detail"]
        assert response.json()["errors"][0]["type"] == "before_birth"
        assert await count_events() == before

    async def test_a_spot_check_dated_before_the_survey_it_verifies_is_refused(self, needs):
        rid = await resident(needs)
        surveyed = await needs.post(
            "/surveys", json={"resident_id": rid, "method": "home_visit", "dimensions": LEVELS}
        )
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "spot_check",
                "dimensions": LEVELS,
                "surveyed_at": (datetime.now(UTC) - timedelta(days=300)).isoformat(),
                "verifies_survey_id": surveyed.json()["survey_id"],
            },
        )
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "spot_check_before_survey"

    async def test_a_spot_check_by_the_surveyor_of_the_survey_is_a_409_and_records_nothing(
        self, needs, token_for, count_events
    ):
        rid = await resident(needs)
        surveyor = await token_for(Role.social_worker, person=uuid4())
        checker = await token_for(Role.social_worker, person=uuid4())
        surveyed = await needs.post(
            "/surveys",
            json={"resident_id": rid, "method": "home_visit", "dimensions": LEVELS},
            headers=surveyor,
        )
        check = {
            "resident_id": rid,
            "method": "spot_check",
            "dimensions": LEVELS,
            "verifies_survey_id": surveyed.json()["survey_id"],
        }
        before = await count_events()
        response = await needs.post("/surveys", json=check, headers=surveyor)
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "spot_check_by_own_surveyor"
        assert "someone other than the surveyor" in response.json()["detail"]
        assert await count_events() == before
        checked = await needs.post("/surveys", json=check, headers=checker)
        assert checked.status_code == 201, checked.text

    async def test_the_surveyor_is_the_tokens_person_never_the_token(self, needs, token_for, sql):
        rid = await resident(needs)
        person = uuid4()
        survey = {"resident_id": rid, "method": "phone", "dimensions": LEVELS}
        recorded = []
        for headers in (await token_for(Role.social_worker, person=person), None):
            response = await needs.post("/surveys", json=survey, headers=headers)
            assert response.status_code == 201, response.text
            recorded.append(response.json()["survey_id"])
        on_the_bus = await sql(
            """SELECT aggregate_id, data->>'surveyor_id' AS surveyor FROM needs.events
               WHERE event_type = 'wushe.needs.survey.recorded.v1'"""
        )
        assert {r["aggregate_id"]: r["surveyor"] for r in on_the_bus} == {
            recorded[0]: str(person),
            recorded[1]: None,  # the admin's token names no one
        }
        shown = (await needs.get(f"/surveys/{recorded[0]}")).json()
        assert shown["surveyor_id"] == str(person)

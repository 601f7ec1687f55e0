"""Wish commands as a client sends them: no body where nothing is required, the claimant
taken from a volunteer's token, a claim sent twice — against the real PostgreSQL and NATS."""

import pytest
from pydantic import ValidationError

from wushe_needs.commands.wishes import FulfilWish
from wushe_service.auth import Role


@pytest.fixture
def posted(needs, community, wish_body):
    async def post() -> str:
        await community()
        response = await needs.post("/wishes", json=wish_body())
        assert response.status_code == 201, response.text
        return response.json()["wish_id"]

    return post


@pytest.fixture
def volunteer(known_volunteer, token_for):
    """A volunteer the service knows, and the headers of a token acting as them."""

    async def make() -> tuple[str, dict[str, str]]:
        volunteer_id = await known_volunteer("李志愿者")
        return volunteer_id, await token_for(Role.volunteer, person=volunteer_id)

    return make


async def no_body(needs, path, headers=None):
    return await needs.post(path, headers=headers)


class TestOptionalBodies:
    async def test_a_volunteer_claims_with_no_body_as_the_person_of_their_token(
        self, needs, posted, volunteer
    ):
        wish_id = await posted()
        volunteer_id, headers = await volunteer()
        claimed = await no_body(needs, f"/wishes/{wish_id}/claim", headers)
        assert claimed.status_code == 200, claimed.text
        assert claimed.json()["claimant_id"] == volunteer_id

    async def test_staff_claiming_without_a_claimant_is_a_422_naming_it(
        self, needs, posted, count_events
    ):
        wish_id = await posted()
        before = await count_events()
        for refused in (
            await needs.post(f"/wishes/{wish_id}/claim", json={}),
            await no_body(needs, f"/wishes/{wish_id}/claim"),
        ):
            assert refused.status_code == 422, refused.text
            assert [e["field"] for e in refused.json()["errors"]] == ["claimant_id"]
        assert await count_events() == before

    @pytest.mark.parametrize("send", ["nothing", "{}"])
    async def test_progress_release_and_fulfil_take_the_claimant_from_the_token(
        self, needs, posted, volunteer, send
    ):
        wish_id = await posted()
        volunteer_id, headers = await volunteer()

        async def command(verb):
            path = f"/wishes/{wish_id}/{verb}"
            if send == "nothing":
                return await no_body(needs, path, headers)
            return await needs.post(path, json={}, headers=headers)

        for verb, state in [
            ("claim", "claimed"),
            ("progress", "claimed"),
            ("release", "posted"),
            ("claim", "claimed"),
            ("fulfil", "fulfilled"),
        ]:
            response = await command(verb)
            assert response.status_code == 200, (verb, response.text)
            assert response.json()["state"] == state, verb
        assert response.json()["claimant_id"] == volunteer_id

    async def test_staff_report_progress_on_the_claim_as_it_is(self, needs, posted, volunteer):
        wish_id = await posted()
        volunteer_id, headers = await volunteer()
        await needs.post(f"/wishes/{wish_id}/claim", headers=headers)
        progressed = await no_body(needs, f"/wishes/{wish_id}/progress")
        assert progressed.status_code == 200, progressed.text
        timeline = (await needs.get(f"/audit?aggregate_id={wish_id}")).json()["items"]
        assert timeline[0]["type"] == "wushe.needs.wish.progressed.v1"
        assert timeline[0]["data"]["claimant_id"] == volunteer_id

    async def test_a_wish_is_cancelled_with_no_body(self, needs, posted):
        wish_id = await posted()
        cancelled = await no_body(needs, f"/wishes/{wish_id}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["state"] == "cancelled"

    async def test_a_body_with_an_unknown_field_is_still_a_422(self, needs, posted):
        wish_id = await posted()
        refused = await needs.post(f"/wishes/{wish_id}/cancel", json={"reasn": "typo"})
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["reasn"]


class TestClaimSentAgain:
    async def test_a_claim_sent_again_by_its_claimant_answers_the_wish_and_changes_nothing(
        self, needs, posted, volunteer, count_events
    ):
        wish_id = await posted()
        volunteer_id, headers = await volunteer()
        first = await needs.post(f"/wishes/{wish_id}/claim", headers=headers)
        assert first.status_code == 200, first.text
        before = await count_events()
        again = await needs.post(
            f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer_id}, headers=headers
        )
        assert again.status_code == 200, again.text
        assert again.json() == first.json()
        assert await count_events() == before

    async def test_someone_else_is_told_the_wish_is_claimed_by_another(
        self, needs, posted, volunteer, count_events
    ):
        wish_id = await posted()
        _, alice = await volunteer()
        _, bob = await volunteer()
        await needs.post(f"/wishes/{wish_id}/claim", headers=alice)
        before = await count_events()
        refused = await needs.post(f"/wishes/{wish_id}/claim", headers=bob)
        assert refused.status_code == 409
        assert refused.json()["rule"] == "wish_not_open"
        assert "claimed by another volunteer" in refused.json()["detail"]
        assert await count_events() == before


class TestFulfilHours:
    @pytest.mark.parametrize("hours", [0.25, 0.5, 1.5, 2.75, 100])
    def test_hours_by_the_quarter_are_taken(self, hours):
        assert FulfilWish.model_validate({"hours": hours}).hours == hours

    @pytest.mark.parametrize("hours", [0.1, 0.2, 1.3, 2.05, 99.9])
    def test_hours_not_by_the_quarter_are_refused_with_their_rule(self, hours):
        with pytest.raises(ValidationError) as refused:
            FulfilWish.model_validate({"hours": hours})
        [error] = refused.value.errors()
        assert (error["loc"], error["type"]) == (("hours",), "hours_quarter")
        assert "quarter hour" in error["msg"]

    async def test_fulfilling_with_a_tenth_of_an_hour_is_a_422_and_changes_nothing(
        self, needs, posted, volunteer, count_events
    ):
        wish_id = await posted()
        _, headers = await volunteer()
        await needs.post(f"/wishes/{wish_id}/claim", headers=headers)
        before = await count_events()
        refused = await needs.post(
            f"/wishes/{wish_id}/fulfil", json={"hours": 0.1}, headers=headers
        )
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert (error["field"], error["type"]) == ("hours", "hours_quarter")
        assert "multiple of 0.25" in error["message"]
        assert await count_events() == before
        done = await needs.post(f"/wishes/{wish_id}/fulfil", json={"hours": 0.25}, headers=headers)
        assert (done.status_code, done.json()["hours"]) == (200, 0.25)

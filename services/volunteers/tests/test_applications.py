"""Applications to become a volunteer (志愿者报名) over HTTP, real PostgreSQL and NATS: submitted
on the public /join form, listed for coordinators, accepted or declined exactly once."""

import asyncio

from wushe_service import testing
from wushe_service.auth import Role

FORM = {
    "name": "陈小燕",
    "phone": "138 1234 5678",
    "community_id": "fengshan",
    "birth_month": "1990-05",
    "skills": ["haircut", "助老"],
    "availability": "周末上午",
    "display_name": "陈志愿者",
    "consent_personal_data": "yes",
    "show_name_publicly": "yes",
    "website": "",
}
ANYONE = {"Authorization": ""}


async def apply(volunteers, **changes):
    form = {k: v for k, v in {**FORM, **changes}.items() if v is not None}
    return await volunteers.post("/join", data=form, headers=ANYONE)


async def pending(volunteers, headers=None):
    answer = await volunteers.get("/applications?state=pending", headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def events(database_url, aggregate="application"):
    rows = await testing.sql(database_url)(
        "SELECT data::text FROM volunteers.events WHERE aggregate = $1 ORDER BY global_position",
        aggregate,
    )
    return [r[0] for r in rows]


class TestSubmit:
    async def test_an_application_is_pending_and_its_events_carry_no_personal_data(
        self, volunteers, database_url
    ):
        answer = await apply(volunteers)

        assert answer.status_code == 200, answer.text
        assert "已提交，社区社工会与您联系" in answer.text
        [listed] = await pending(volunteers)
        assert listed["community_id"] == "fengshan"
        assert listed["skills"] == ["elderly-care", "haircut"]
        assert listed["personal_data"]["applicant_name"] == "陈小燕"
        assert listed["personal_data"]["mobile"] == "13812345678"
        published = "\n".join(await events(database_url))
        assert '"community_id": "fengshan"' in published
        for personal in ("陈小燕", "13812345678", "1990", "周末上午", "陈志愿者"):
            assert personal not in published

    async def test_the_same_phone_pending_is_not_a_second_application(self, volunteers):
        first, again = await asyncio.gather(apply(volunteers), apply(volunteers, name="陈燕"))

        assert first.status_code == again.status_code == 200
        assert "已提交" in again.text  # whether it had applied is not told to whoever typed it
        assert len(await pending(volunteers)) == 1

    async def test_a_bad_mobile_number_is_a_422_naming_the_field_in_chinese(
        self, volunteers, database_url
    ):
        answer = await apply(volunteers, phone="1381234")

        assert answer.status_code == 422
        assert "手机号" in answer.text
        assert "应为 11 位手机号" in answer.text
        assert "value='陈小燕'" in answer.text  # what was typed is kept, to put right
        assert await events(database_url) == []

    async def test_consent_to_store_the_data_must_be_given(self, volunteers, database_url):
        answer = await apply(volunteers, consent_personal_data=None)

        assert answer.status_code == 422
        assert "须勾选同意" in answer.text
        assert await events(database_url) == []

    async def test_a_minor_needs_a_guardian_and_a_child_applies_at_the_office(
        self, volunteers, database_url
    ):
        minor = await apply(volunteers, birth_month="2011-01")
        assert minor.status_code == 422
        assert "须经监护人同意并勾选此项" in minor.text
        child = await apply(volunteers, birth_month="2020-01", guardian_consent="yes")
        assert child.status_code == 422
        assert "由监护人陪同，到社区或社工站登记" in child.text
        assert await events(database_url) == []
        with_consent = await apply(volunteers, birth_month="2011-01", guardian_consent="yes")
        assert with_consent.status_code == 200, with_consent.text

    async def test_a_filled_in_honeypot_is_answered_alike_and_stores_nothing(
        self, volunteers, database_url
    ):
        answer = await apply(volunteers, website="http://spam.example")

        assert answer.status_code == 200
        assert "已提交" in answer.text
        assert await events(database_url) == []
        assert await pending(volunteers) == []


class TestDecide:
    async def test_accepting_registers_the_volunteer_once_even_when_two_race(
        self, volunteers, database_url, token_for
    ):
        await apply(volunteers)
        [listed] = await pending(volunteers)
        coordinator = await token_for(Role.coordinator)
        url = f"/applications/{listed['application_id']}/accept"

        answers = await asyncio.gather(
            volunteers.post(url, headers=coordinator), volunteers.post(url)
        )

        assert sorted(a.status_code for a in answers) == [200, 409]
        [refused] = [a for a in answers if a.status_code == 409]
        assert refused.json()["rule"] == "application_decided"
        [accepted] = [a.json() for a in answers if a.status_code == 200]
        registered = await events(database_url, "volunteer")
        assert len(registered) == 1
        assert listed["application_id"] in registered[0]
        assert '"display_name": "陈志愿者"' in registered[0]  # with the consent given
        view = (await volunteers.get(f"/volunteers/{accepted['volunteer_id']}")).json()
        assert view["personal_data"]["name"] == "陈小燕"
        assert view["personal_data"]["phone"] == "13812345678"
        assert view["skills"] == ["elderly-care", "haircut"]
        assert view["application_id"] == listed["application_id"]
        [row] = (await volunteers.get("/applications?state=accepted")).json()["items"]
        assert row["volunteer_id"] == accepted["volunteer_id"]
        assert row["personal_data"] is None  # the application's own copy is shredded

    async def test_declining_shreds_the_applicant_s_data_and_frees_the_phone(
        self, volunteers, database_url
    ):
        await apply(volunteers)
        [listed] = await pending(volunteers)
        application_id = listed["application_id"]

        answer = await volunteers.post(
            f"/applications/{application_id}/decline", json={"reason": "unreachable"}
        )

        assert answer.status_code == 204, answer.text
        sql = testing.sql(database_url)
        [sealed] = await sql(
            "SELECT wrapped_key, ciphertext FROM volunteers.personal_data WHERE subject_id = $1",
            listed["application_id"],
        )
        assert sealed["wrapped_key"] is None
        assert sealed["ciphertext"] == b""
        [row] = (await volunteers.get("/applications?state=declined")).json()["items"]
        assert (row["reason"], row["personal_data"]) == ("unreachable", None)
        again = await volunteers.post(f"/applications/{application_id}/accept", json=None)
        assert again.status_code == 409
        assert (await apply(volunteers)).status_code == 200
        assert len(await pending(volunteers)) == 1  # the phone may apply anew

    async def test_a_serving_volunteer_s_phone_is_not_registered_again(
        self, volunteers, volunteer, database_url
    ):
        await volunteer(phone="13812345678")
        await apply(volunteers)
        [listed] = await pending(volunteers)

        answer = await volunteers.post(f"/applications/{listed['application_id']}/accept")

        assert answer.status_code == 409
        assert answer.json()["rule"] == "volunteer_exists"
        assert len(await events(database_url, "volunteer")) == 1
        [still] = await pending(volunteers)  # to be declined: already-registered
        assert still["personal_data"]["mobile"] == "13812345678"

    async def test_a_decline_reason_is_a_code_not_free_text(self, volunteers):
        await apply(volunteers)
        [listed] = await pending(volunteers)
        answer = await volunteers.post(
            f"/applications/{listed['application_id']}/decline", json={"reason": "联系不上 138"}
        )
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "reason"
        assert len(await pending(volunteers)) == 1

    async def test_only_coordinators_and_admins_see_and_decide_applications(
        self, volunteers, token_for
    ):
        await apply(volunteers)
        [listed] = await pending(volunteers)
        viewer = await token_for(Role.viewer)
        assert (await volunteers.get("/applications", headers=viewer)).status_code == 403
        url = f"/applications/{listed['application_id']}/accept"
        assert (await volunteers.post(url, headers=viewer)).status_code == 403
        assert (await volunteers.get("/applications", headers=ANYONE)).status_code == 401
        assert len(await pending(volunteers)) == 1

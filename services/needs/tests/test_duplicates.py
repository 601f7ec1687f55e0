"""A resident registered twice (no ID number to tell): refused as a possible duplicate, unless
the social worker says it is another person of the same name; against the real PostgreSQL."""

import asyncio

import pytest

from wushe_service.auth import Role
from wushe_service.identity import check_digit

SUN = {
    "community_id": "dongfeng",
    "groups": ["elderly_alone"],
    "birth_year": 1940,
    "name": "孙阿婆",
    "phone": "13957401111",
}


@pytest.fixture
async def dongfeng(community):
    await community("dongfeng", name="东风社区", street="阳明街道")
    await community("xifeng", name="西丰社区", street="阳明街道")


async def test_six_registrations_of_one_person_make_one_resident(
    needs, dongfeng, count_events, sql
):
    before = await count_events()
    answers = list(await asyncio.gather(*(needs.post("/residents", json=SUN) for _ in range(5))))
    answers.append(await needs.post("/residents", json=SUN))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5
    [kept] = [a.json()["resident_id"] for a in answers if a.status_code == 201]
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["rule"] == "possible_duplicate"
        assert kept in refused.json()["detail"]
        assert refused.json()["duplicate_of"] == kept
        assert "孙阿婆" not in refused.text
        assert "13957401111" not in refused.text
    assert await count_events() == before + 1
    assert (await sql("SELECT count(*) FROM needs.residents"))[0][0] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"birth_year": 1941},  # the same phone
        {"phone": "13957402222"},  # the same birth year
        {"phone": None},
        {"name": "孙 阿婆", "phone": "+86 139-5740-1111", "birth_year": 1938},
    ],
)
async def test_the_same_name_with_the_same_birth_year_or_phone_is_a_409(
    needs, dongfeng, change, count_events
):
    first = (await needs.post("/residents", json=SUN)).json()["resident_id"]
    before = await count_events()
    twice = await needs.post("/residents", json={**SUN, **change})
    assert twice.status_code == 409, twice.text
    assert twice.json()["rule"] == "possible_duplicate"
    assert first in twice.json()["detail"]
    assert twice.json()["duplicate_of"] == first
    assert await count_events() == before


@pytest.mark.parametrize(
    "change",
    [
        {"not_a_duplicate": True},  # another 孙阿婆, said so
        {"community_id": "xifeng"},
        {"birth_year": 1941, "phone": "13957402222"},
        {"name": "孙阿娣"},
    ],
)
async def test_someone_else_of_the_same_name_is_registered(needs, dongfeng, change):
    assert (await needs.post("/residents", json=SUN)).status_code == 201
    other = await needs.post("/residents", json={**SUN, **change})
    assert other.status_code == 201, other.text


async def test_two_id_numbers_are_two_people_and_an_erased_resident_is_no_duplicate(
    needs, dongfeng, token_for
):
    def id_number(sequence: str) -> str:
        first = f"33028119400101{sequence}"
        return first + check_digit(first)

    first = await needs.post("/residents", json={**SUN, "id_number": id_number("002")})
    assert first.status_code == 201, first.text
    other = await needs.post("/residents", json={**SUN, "id_number": id_number("004")})
    assert other.status_code == 201, other.text
    without = await needs.post("/residents", json=SUN)  # which of them? say so
    assert without.json()["rule"] == "possible_duplicate"

    social_worker = await token_for(Role.social_worker)
    for gone in (first, other):
        rid = gone.json()["resident_id"]
        erased = await needs.delete(f"/residents/{rid}/personal-data", headers=social_worker)
        assert erased.status_code == 200, erased.text
    assert (await needs.post("/residents", json=SUN)).status_code == 201


async def test_a_correction_into_a_namesakes_record_is_a_409_unless_said_otherwise(
    needs, dongfeng, count_events
):
    sun = (await needs.post("/residents", json=SUN)).json()["resident_id"]
    other = (
        await needs.post(
            "/residents", json={**SUN, "community_id": "xifeng", "phone": "13957403333"}
        )
    ).json()["resident_id"]
    before = await count_events()
    for fix in ({"community_id": "dongfeng"}, {"community_id": "dongfeng", "birth_year": 1939}):
        moved = await needs.post(f"/residents/{other}/correct", json=fix)
        if "birth_year" in fix:
            assert moved.status_code == 200, moved.text  # a different birth year and phone
            continue
        assert moved.status_code == 409, moved.text
        assert moved.json()["rule"] == "possible_duplicate"
        assert sun in moved.json()["detail"]
        assert moved.json()["duplicate_of"] == sun
    assert await count_events() == before + 2  # updated (birth_year) and moved
    phone = await needs.post(f"/residents/{other}/correct", json={"phone": "13957401111"})
    assert phone.json()["rule"] == "possible_duplicate"
    said = await needs.post(
        f"/residents/{other}/correct", json={"phone": "13957401111", "not_a_duplicate": True}
    )
    assert said.status_code == 200, said.text
    own = await needs.post(f"/residents/{sun}/correct", json={"address": "东风社区1幢"})
    assert own.status_code == 200, own.text  # nothing that tells them apart changed


async def test_bad_input_is_told_before_a_possible_duplicate(needs, dongfeng):
    assert (await needs.post("/residents", json=SUN)).status_code == 201
    young = await needs.post("/residents", json={**SUN, "birth_year": 2001})  # and same phone
    assert young.status_code == 422, young.text
    assert young.json()["errors"][0]["field"] == "groups"

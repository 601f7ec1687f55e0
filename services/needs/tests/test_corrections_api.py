"""Correcting a resident's record over HTTP (POST /residents/{id}/correct), against the real
PostgreSQL: personal data sealed again, the rest on the bus, needs and wishes following a move."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from wushe_service.auth import Role
from wushe_service.identity import check_digit

from .conftest import RESIDENT

SECRETS = ("王秀英", "王秀瑛", "11010519491231002X", "13812345678", "62345678", "丰山", "江滨路")


def id_number(birth: str, sequence: str = "002") -> str:
    first = f"110105{birth}{sequence}"
    return first + check_digit(first)


@pytest.fixture
def correct(needs):
    async def send(resident_id, headers=None, **fields):
        return await needs.post(f"/residents/{resident_id}/correct", json=fields, headers=headers)

    return send


@pytest.fixture
def sealed(sql):
    async def row(resident_id):
        [found] = await sql(
            "SELECT wrapped_key, nonce, ciphertext FROM needs.personal_data WHERE subject_id = $1",
            UUID(resident_id),
        )
        return tuple(found)

    return row


@pytest.fixture
def event_data(sql):
    async def of(event_type):
        rows = await sql(
            "SELECT data::text FROM needs.events WHERE event_type = $1 ORDER BY global_position",
            f"wushe.needs.{event_type}.v1",
        )
        return [r[0] for r in rows]

    return of


async def test_personal_data_is_corrected_sealed_under_the_same_key_and_named_on_the_bus(
    needs, resident, correct, sealed, event_data, token_for
):
    rid = await resident()
    before = await sealed(rid)
    social_worker = await token_for(Role.social_worker)
    response = await correct(
        rid,
        social_worker,
        name="王秀瑛",  # a typo in the name
        phone="0574-62345678",  # a fixed line now
        address="江滨路8号",
        notes=None,  # cleared
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "resident_id": rid,
        "changed": ["name", "phone", "address", "notes"],
        "moved_needs": [],
        "moved_wishes": [],
    }
    view = (await needs.get(f"/residents/{rid}", headers=social_worker)).json()
    assert view["personal_data"] == {
        "name": "王秀瑛",
        "id_number": "11010519491231002X",
        "phone": "0574-62345678",
        "address": "江滨路8号",
        "birth_year": 1949,
    }
    after = await sealed(rid)
    assert after[0] == before[0]  # the resident's one data key, which erasure destroys
    assert after[1:] != before[1:]
    [updated] = await event_data("resident.updated")
    assert '"changed": ["name", "phone", "address", "notes"]' in updated
    assert not any(s in updated for s in SECRETS)

    async def found(**fields):
        answer = await needs.post("/residents/search", json=fields, headers=social_worker)
        return [r["resident_id"] for r in answer.json()["items"]]

    assert await found(name="王秀瑛") == [rid]
    assert await found(phone="057462345678") == [rid]
    assert await found(name="王秀英") == []  # the typo is not found any more
    timeline = (await needs.get(f"/residents/{rid}/timeline", headers=social_worker)).json()
    assert [i["type"] for i in timeline["items"]][-1] == "wushe.needs.resident.updated.v1"


async def test_groups_and_birth_are_corrected_with_the_age_band_that_follows(
    needs, resident, correct, event_data, count_events
):
    rid = await resident()
    before = await count_events()
    alone = await correct(rid, birth_year=1940)  # the ID number still says 1949
    assert alone.status_code == 422, alone.text
    assert alone.json()["errors"][0]["field"] == "birth_year"
    assert await count_events() == before

    response = await correct(
        rid, groups=["elderly_alone", "dibao"], birth_year=1940, id_number=id_number("19400305")
    )
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == ["groups", "birth_year", "id_number"]
    view = (await needs.get(f"/residents/{rid}")).json()
    assert (view["groups"], view["age_band"]) == (["dibao", "elderly_alone"], "80_plus")
    [updated] = await event_data("resident.updated")
    assert '"age_band": "80_plus"' in updated
    assert "1940" not in updated  # neither the birth year nor the ID number
    listed = (await needs.get("/residents?community_id=fengshan")).json()["items"]
    assert (listed[0]["groups"], listed[0]["age_band"]) == (["dibao", "elderly_alone"], "80_plus")

    again = await correct(rid, groups=["dibao", "elderly_alone"], birth_year=1940)
    assert again.json()["changed"] == []  # nothing new: nothing recorded
    assert await count_events() == before + 1


async def test_a_move_takes_open_needs_and_live_wishes_along_and_leaves_history_behind(
    needs, community, resident, surveyed, wish_body, known_volunteer, correct, token_for
):
    rid = await resident()
    await community("jiangbin", "江滨社区", "兰江街道")
    matched, still_open, resolved = await surveyed(
        rid,
        ("daily-goods", "material", "high"),
        ("companionship", "spiritual", "normal"),
        ("meal-delivery", "material", "normal"),
        days_ago=3,
    )
    claimed = (await needs.post("/wishes", json=wish_body(need_id=matched))).json()["wish_id"]
    volunteer = await known_volunteer("李志愿者")
    await needs.post(f"/wishes/{claimed}/claim", json={"claimant_id": volunteer})
    posted = (await needs.post("/wishes", json=wish_body(resident_id=rid))).json()["wish_id"]
    await needs.post(
        f"/needs/{resolved}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
    )
    someone_elses = (await needs.post("/wishes", json=wish_body())).json()["wish_id"]

    response = await correct(rid, community_id="jiangbin")
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == ["community_id"]
    assert sorted(response.json()["moved_needs"]) == sorted([matched, still_open])
    assert sorted(response.json()["moved_wishes"]) == sorted([claimed, posted])

    assert (await needs.get(f"/residents/{rid}")).json()["community_id"] == "jiangbin"
    old = (await needs.get("/communities/fengshan/needs")).json()
    new = (await needs.get("/communities/jiangbin/needs")).json()
    assert (old["total"], new["total"]) == (0, 2)
    assert (await needs.get(f"/needs/{resolved}")).json()["community_id"] == "fengshan"
    boards = {
        place: {
            w["wish_id"] for w in (await needs.get(f"/wishes?community_id={place}")).json()["items"]
        }
        for place in ("fengshan", "jiangbin")
    }
    assert boards == {"fengshan": {someone_elses}, "jiangbin": {claimed, posted}}
    kept = (await needs.get(f"/wishes/{claimed}")).json()
    assert (kept["state"], kept["claimant_id"]) == ("claimed", volunteer)  # the claim stays
    [survey] = (await needs.get(f"/surveys?resident_id={rid}")).json()["items"]
    assert survey["community_id"] == "fengshan"  # where it was done

    again = await needs.post("/wishes", json=wish_body(resident_id=rid))  # the old community
    assert again.status_code == 422
    auditor = await token_for(Role.auditor)
    timeline = (await needs.get(f"/residents/{rid}/timeline", headers=auditor)).json()
    types = [i["type"].removeprefix("wushe.needs.").removesuffix(".v1") for i in timeline["items"]]
    assert types.count("resident.moved") == 1
    assert (types.count("need.moved"), types.count("wish.moved")) == (2, 2)


async def test_an_id_number_of_another_resident_is_a_409_naming_them_and_changes_nothing(
    needs, resident, correct, sealed, count_events
):
    first = await resident()
    other = {"name": "李秀兰", "id_number": id_number("19490302"), "phone": "13900000002"}
    second = (await needs.post("/residents", json={**RESIDENT, **other})).json()["resident_id"]
    before, kept = await count_events(), await sealed(second)
    response = await correct(second, id_number="11010519491231002X")
    assert response.status_code == 409, response.text
    assert response.json()["rule"] == "resident_exists"
    assert first in response.json()["detail"]
    assert response.json()["duplicate_of"] == first
    assert "11010519491231002X" not in response.text
    assert (await count_events(), await sealed(second)) == (before, kept)
    mine = await correct(first, id_number="11010519491231002x")  # its own, lower-cased
    assert (mine.status_code, mine.json()["changed"]) == (200, [])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "name"),  # nothing to correct: the first field of the form
        ({"name": None}, "name"),
        ({"groups": []}, "groups"),
        ({"groups": ["astronaut"]}, "groups.0"),
        ({"phone": "62345678"}, "phone"),  # a fixed line without its area code
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"community_id": "nowhere"}, "community_id"),
        ({"groups": ["child"]}, "groups"),  # born in 1949
        ({"birth_year": 2001, "id_number": id_number("20010101")}, "groups"),  # elderly_alone
        ({"nickname": "王奶奶"}, "nickname"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    resident, correct, sealed, count_events, fields, field
):
    rid = await resident()
    before, kept = await count_events(), await sealed(rid)
    response = await correct(rid, **fields)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert "王奶奶" not in response.text
    assert (await count_events(), await sealed(rid)) == (before, kept)


async def test_a_birth_after_the_first_survey_is_a_422(resident, surveyed, correct, count_events):
    rid = await resident(id_number=None)
    await surveyed(rid, days_ago=400)
    before = await count_events()
    response = await correct(rid, birth_year=datetime.now(UTC).year)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "birth_year"
    assert await count_events() == before


async def test_a_child_found_under_14_needs_a_guardians_consent_first(
    needs, resident, correct, count_events
):
    rid = await resident(id_number=None, consent={"given_by": "self"})
    ten_years_ago = datetime.now(UTC).year - 10
    before = await count_events()
    refused = await correct(rid, birth_year=ten_years_ago, groups=["child"])
    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "guardian_consent_required"
    assert await count_events() == before
    await needs.post(
        f"/residents/{rid}/consents", json={"purpose": "personal_data", "given_by": "guardian"}
    )
    accepted = await correct(rid, birth_year=ten_years_ago, groups=["child"])
    assert accepted.status_code == 200, accepted.text
    assert (await needs.get(f"/residents/{rid}")).json()["age_band"] == "under_14"


async def test_an_erased_or_unknown_resident_or_a_role_that_may_not_is_refused(
    needs, resident, correct, token_for, count_events
):
    rid = await resident()
    for role in (Role.viewer, Role.volunteer, Role.auditor):
        refused = await correct(rid, await token_for(role), groups=["other"])
        assert refused.status_code == 403, role
    assert (await correct(uuid4(), groups=["other"])).status_code == 404
    await needs.delete(f"/residents/{rid}/personal-data")
    before = await count_events()
    erased = await correct(rid, groups=["other"], phone="13900000009")
    assert erased.status_code == 409, erased.text
    assert erased.json()["rule"] == "resident_erased"
    assert await count_events() == before


async def test_the_audit_trail_names_who_corrected_the_record(needs, resident, correct, token_for):
    rid = await resident()
    social_worker = await token_for(Role.social_worker, "王社工")
    await correct(rid, social_worker, notes="新装了助听器")
    trail = await needs.get(
        f"/audit?aggregate=resident&aggregate_id={rid}", headers=await token_for(Role.auditor)
    )
    newest = trail.json()["items"][0]
    assert (newest["type"], newest["actor_name"]) == (
        "wushe.needs.resident.updated.v1",
        "王社工",
    )
    assert "助听器" not in trail.text


async def test_after_a_birth_is_corrected_new_surveys_are_checked_against_it(
    needs, resident, surveyed, correct
):
    rid = await resident(id_number=None, consent={"given_by": "self"})
    await surveyed(rid, days_ago=2)
    corrected = await correct(rid, birth_year=1950)
    assert corrected.status_code == 200, corrected.text
    early = (datetime(1949, 6, 1, tzinfo=UTC) + timedelta(hours=2)).isoformat()
    response = await needs.post(
        "/surveys",
        json={
            "resident_id": rid,
            "method": "phone",
            "dimensions": {"physical": 0, "psychological": 0, "material": 0, "spiritual": 0},
            "surveyed_at": early,
        },
    )
    assert response.status_code == 422, response.text

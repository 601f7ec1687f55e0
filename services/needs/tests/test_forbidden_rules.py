"""Every 403 names its rule, as a 409 does, with the facts a client needs to say it in its own
words (the roles allowed, the streets): a program tells the refusals apart without reading the
English `detail`, which stays as it was."""

from uuid import uuid4

import pytest
from jsonschema import Draft202012Validator

from wushe_service.auth import Role

OURS = "阳明街道"
THEIRS = "兰江街道"


@pytest.fixture
async def station(token_for):
    """The headers of a social worker of 阳明街道's social work station."""
    return await token_for(Role.social_worker, "阳明社工站", street=OURS)


async def test_a_role_not_allowed_is_named_with_the_roles_that_are(needs, community, token_for):
    await community()
    volunteer = await token_for(Role.volunteer, person=uuid4())
    body = {"community_id": "xinjian", "name": "新建村", "street": OURS}
    refused = await needs.post("/communities", json=body, headers=volunteer)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert body["rule"] == "role_not_allowed"
    assert body["role"] == "volunteer"
    assert "admin" in body["allowed_roles"]
    assert body["detail"].startswith("role volunteer may not do this (allowed: ")


async def test_reading_names_without_the_role_is_refused_naming_the_field(needs, token_for):
    auditor = await token_for(Role.auditor)
    refused = await needs.get("/residents?with=personal_data", headers=auditor)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["field"]) == ("role_not_allowed", "with")
    assert body["allowed_roles"] == ["admin", "social_worker"]


async def test_a_token_of_another_office_is_refused_naming_both(needs, token_for, office):
    elsewhere = await token_for(Role.admin, office="cixi")
    refused = await needs.get("/residents", headers=elsewhere)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["token_office"], body["office"]) == ("other_office", "cixi", office)


async def test_a_personal_token_acts_for_its_own_person_only(
    needs, community, known_volunteer, wish_body, token_for
):
    await community()
    posted = await needs.post("/wishes", json=wish_body())
    assert posted.status_code == 201, posted.text
    claim = f"/wishes/{posted.json()['wish_id']}/claim"
    volunteer, other = await known_volunteer(), await known_volunteer()

    anyone = await token_for(Role.volunteer)
    nobody = await needs.post(claim, json={"claimant_id": volunteer}, headers=anyone)
    assert nobody.status_code == 403, nobody.text
    assert nobody.json()["rule"] == "token_names_no_person"
    assert (nobody.json()["field"], nobody.json()["role"]) == ("claimant_id", "volunteer")

    as_other = await token_for(Role.volunteer, person=other)
    theirs = await needs.post(claim, json={"claimant_id": volunteer}, headers=as_other)
    assert theirs.status_code == 403, theirs.text
    assert theirs.json()["rule"] == "not_your_person"
    assert (theirs.json()["field"], theirs.json()["acts_for"]) == ("claimant_id", other)

    as_volunteer = await token_for(Role.volunteer, person=volunteer)
    team = {"claimant_id": volunteer, "claimant_kind": "team"}
    for_a_team = await needs.post(claim, json=team, headers=as_volunteer)
    assert for_a_team.status_code == 403, for_a_team.text
    assert (for_a_team.json()["rule"], for_a_team.json()["field"]) == (
        "not_your_person",
        "claimant_kind",
    )


async def test_a_street_token_outside_its_street_is_refused_naming_both_streets(
    needs, community, station
):
    await community()
    await community("jiangbin", "江滨社区", THEIRS)
    elsewhere = {"community_id": "xinjian", "name": "新建村", "street": THEIRS}
    refused = await needs.post("/communities", json=elsewhere, headers=station)
    assert refused.status_code == 403, refused.text
    assert refused.json() == {
        "detail": f"street: this token serves {OURS}, not {THEIRS}",
        "rule": "outside_your_street",
        "field": "street",
        "token_street": OURS,
        "street": THEIRS,
    }
    renamed = {"name": "江滨新区", "street": OURS}
    refused = await needs.post("/communities/jiangbin/rename", json=renamed, headers=station)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert body["rule"] == "outside_your_street"
    assert (body["community_id"], body["street"], body["token_street"]) == (
        "jiangbin",
        THEIRS,
        OURS,
    )


async def test_the_403_sent_matches_the_documented_body(needs, token_for):
    document = (await needs.get("/openapi.json")).json()
    answer = document["paths"]["/residents"]["post"]["responses"]["403"]
    schema = {**answer["content"]["application/json"]["schema"], **document}
    assert schema["$ref"].endswith("/Forbidden")
    assert (
        "`outside_your_street`"
        in document["components"]["schemas"]["Forbidden"]["properties"]["rule"]["description"]
    )
    viewer = await token_for(Role.viewer)
    refused = await needs.post("/residents", json={}, headers=viewer)
    assert refused.status_code == 403, refused.text
    errors = list(Draft202012Validator(schema).iter_errors(refused.json()))
    assert not errors, [e.message for e in errors]


async def test_a_browser_is_still_shown_the_refusal_page_in_chinese(needs, token_for):
    viewer = {**await token_for(Role.viewer), "Accept": "text/html"}
    refused = await needs.get(f"/surveys/{uuid4()}?format=html", headers=viewer)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert "无权查看" in refused.text

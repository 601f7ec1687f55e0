"""Every 403 of the funds service names its rule, as a 409 does: a coordinator token that names
nobody acts for no team, a role not allowed is told the roles that are; the English `detail`
stays as it was."""

from uuid import uuid4

from wushe_service.auth import Role


async def test_a_coordinator_token_naming_nobody_names_the_rule(funds, token_for):
    nobody = await token_for(Role.coordinator)
    refused = await funds.post(f"/applications/{uuid4()}/withdraw", headers=nobody)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["role"]) == ("token_names_no_person", "coordinator")
    assert "--person" in body["detail"]


async def test_a_coordinator_asking_for_anothers_teams_names_the_rule(funds, token_for):
    me = uuid4()
    as_me = await token_for(Role.coordinator, person=me)
    refused = await funds.get(f"/teams?coordinator_id={uuid4()}", headers=as_me)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["field"], body["acts_for"]) == (
        "not_your_person",
        "coordinator_id",
        str(me),
    )


async def test_a_role_not_allowed_names_the_roles_that_are(funds, token_for):
    refused = await funds.post(
        f"/applications/{uuid4()}/withdraw", headers=await token_for(Role.reviewer)
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["rule"] == "role_not_allowed"
    assert refused.json()["allowed_roles"] == ["admin", "coordinator", "fund_manager"]

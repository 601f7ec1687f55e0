"""Every 403 of the volunteers service names its rule, as a 409 does: a team's members and an
activity's roster for its coordinators only, a coordinator token that names nobody, a personal
token acting for another; the English `detail` stays as it was."""

from wushe_service.auth import Role


async def test_a_teams_members_refused_to_another_coordinator_name_the_rule_and_team(
    volunteers, team, token_for
):
    team_id, _ = await team()
    _, other_coordinator = await team(name="社区志愿队")
    as_other = await token_for(Role.coordinator, person=other_coordinator)
    refused = await volunteers.get(f"/teams/{team_id}/members", headers=as_other)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["team_id"]) == ("not_team_coordinator", team_id)
    assert "only the team's coordinators, a social worker or an admin" in body["detail"]


async def test_an_activitys_roster_refused_to_another_coordinator_names_the_rule(
    volunteers, team, activity, token_for
):
    team_id, _ = await team()
    _, other_coordinator = await team(name="另一支志愿队")
    activity_id = await activity(team_id)
    as_other = await token_for(Role.coordinator, person=other_coordinator)
    refused = await volunteers.get(f"/activities/{activity_id}/signups", headers=as_other)
    assert refused.status_code == 403, refused.text
    assert refused.json()["rule"] == "not_team_coordinator"
    assert refused.json()["detail"].startswith(f"only a coordinator of team {team_id}")


async def test_a_coordinator_token_naming_nobody_names_the_rule(volunteers, team, token_for):
    team_id, member = await team()
    nobody = await token_for(Role.coordinator)
    added = await volunteers.post(
        f"/teams/{team_id}/members", json={"volunteer_id": member}, headers=nobody
    )
    assert added.status_code == 403, added.text
    assert (added.json()["rule"], added.json()["role"]) == ("token_names_no_person", "coordinator")


async def test_a_personal_token_for_another_person_names_the_field_and_its_own(
    volunteers, volunteer, token_for
):
    me = await volunteer()
    other = await volunteer(name="王其他")
    as_me = await token_for(Role.volunteer, person=me)
    refused = await volunteers.get(f"/volunteers/{other}/signups", headers=as_me)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["field"], body["acts_for"]) == (
        "not_your_person",
        "volunteer_id",
        me,
    )


async def test_a_role_not_allowed_names_the_roles_that_are(volunteers, token_for):
    refused = await volunteers.post(
        "/volunteers/search", json={"name": "王协调"}, headers=await token_for(Role.viewer)
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["rule"] == "role_not_allowed"
    assert "coordinator" in refused.json()["allowed_roles"]

"""A sign-up, or its withdrawal, sent again with its Idempotency-Key after a lost answer (a
phone on poor signal): the first answer again, marked replayed — not a 409 saying it was
already done, which reads as a failure although it worked."""

from __future__ import annotations

from wushe_service.auth import Role


async def test_a_sign_up_retried_with_its_key_gets_the_first_answer(
    volunteers, volunteer, team, activity, token_for
):
    team_id, _ = await team()
    activity_id = await activity(team_id)
    me = await volunteer()
    headers = {**await token_for(Role.volunteer, person=me), "Idempotency-Key": "signup-1"}
    url = f"/activities/{activity_id}/signups"

    first = await volunteers.post(url, json={"volunteer_id": me}, headers=headers)
    again = await volunteers.post(url, json={"volunteer_id": me}, headers=headers)

    assert first.status_code == 200, first.text
    assert again.status_code == 200, again.text
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    roster = (await volunteers.get(f"/volunteers/{me}/signups")).json()["items"]
    assert [(s["activity_id"], s["state"]) for s in roster] == [(activity_id, "active")]

    # Another tap, another key: the API says it is done already, and changes nothing.
    other = {**headers, "Idempotency-Key": "signup-2"}
    second = await volunteers.post(url, json={"volunteer_id": me}, headers=other)
    assert second.status_code == 409, second.text
    assert second.json()["rule"] == "already_signed_up"


async def test_a_withdrawal_retried_with_its_key_gets_the_first_answer(
    volunteers, volunteer, team, activity, token_for
):
    team_id, _ = await team()
    activity_id = await activity(team_id)
    me = await volunteer()
    mine = await token_for(Role.volunteer, person=me)
    url = f"/activities/{activity_id}/signups"
    assert (await volunteers.post(url, json={"volunteer_id": me}, headers=mine)).status_code == 200
    headers = {**mine, "Idempotency-Key": "withdraw-1"}

    first = await volunteers.delete(f"{url}/{me}", headers=headers)
    again = await volunteers.delete(f"{url}/{me}", headers=headers)

    assert first.status_code == 200, first.text
    assert again.status_code == 200, again.text
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    refused = await volunteers.delete(f"{url}/{me}", headers=mine)
    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "not_signed_up"

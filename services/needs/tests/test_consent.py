"""Consent checked where it matters: withdrawing it stops what it allowed, at once."""

from wushe_service.auth import Role


async def test_withdrawing_consent_to_keep_personal_data_erases_it(needs, resident, sql):
    rid = await resident(consent={"given_by": "self"})
    withdrawn = await needs.post(f"/residents/{rid}/consents/personal_data/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {"erased": True, "cancelled_wishes": [], "closed_needs": []}

    view = (await needs.get(f"/residents/{rid}")).json()
    assert (view["erased"], view["personal_data"], view["consents"]) == (True, None, [])
    assert [c["purpose"] for c in view["withdrawn_consents"]] == ["personal_data"]
    [key] = await sql("SELECT wrapped_key FROM needs.personal_data WHERE subject_id = $1", rid)
    assert key["wrapped_key"] is None
    types = await sql(
        "SELECT event_type FROM needs.events WHERE aggregate_id = $1 ORDER BY version", rid
    )
    assert [t[0] for t in types][-2:] == [
        "wushe.needs.consent.withdrawn.v1",
        "wushe.needs.resident.erased.v1",
    ]


async def test_without_consent_to_be_served_a_resident_gets_no_new_survey_or_wish(
    needs, resident, levels, surveyed, wish_body, token_for, sql
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("meal-delivery", "material", "high"))
    wish_id = (await needs.post("/wishes", json=wish_body(resident_id=rid))).json()["wish_id"]
    social_worker = await token_for(Role.social_worker)
    await needs.post(
        f"/residents/{rid}/consents",
        json={"purpose": "services", "given_by": "self"},
        headers=social_worker,
    )
    withdrawn = await needs.post(
        f"/residents/{rid}/consents/services/withdraw", headers=social_worker
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {
        "erased": False,
        "cancelled_wishes": [wish_id],
        "closed_needs": [need_id],
    }

    assert (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "cancelled"
    assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "closed"
    reasons = await sql(
        """SELECT data->>'reason' FROM needs.events
           WHERE event_type IN ('wushe.needs.wish.cancelled.v1', 'wushe.needs.need.resolved.v1')"""
    )
    assert [r[0] for r in reasons] == ["consent-withdrawn"] * 2
    view = (await needs.get(f"/residents/{rid}")).json()
    assert view["erased"] is False
    assert view["personal_data"]["name"] == "王秀英"  # kept: only being served was refused

    before = await sql("SELECT count(*) FROM needs.events")
    survey = {"resident_id": rid, "method": "phone", "dimensions": levels}
    refused = [
        await needs.post("/surveys", json=survey),
        await needs.post("/wishes", json=wish_body(resident_id=rid)),
    ]
    for response in refused:
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "consent_withdrawn"
        assert "services" in response.json()["detail"]
    assert await sql("SELECT count(*) FROM needs.events") == before

    await needs.post(
        f"/residents/{rid}/consents",
        json={"purpose": "services", "given_by": "self"},
        headers=social_worker,
    )
    assert (await needs.post("/surveys", json=survey)).status_code == 201
    assert (await needs.get(f"/residents/{rid}")).json()["withdrawn_consents"] == []


async def test_a_wish_answering_a_need_checks_the_needs_resident(
    needs, resident, surveyed, wish_body, token_for
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("daily-goods", "material", "low"))
    other = (
        await needs.post(
            "/residents",
            json={
                "community_id": "fengshan",
                "groups": ["disabled"],
                "birth_year": 1950,
                "name": "赵刚",
            },
        )
    ).json()["resident_id"]
    mismatched = await needs.post(
        "/wishes", json=wish_body(need_id=need_id, resident_id=other, community_id=None)
    )
    assert mismatched.status_code == 422, mismatched.text
    assert "resident_id" in mismatched.text
    social_worker = await token_for(Role.social_worker)
    await needs.delete(f"/residents/{rid}/personal-data", headers=social_worker)
    # The need is closed by the erasure: no wish for it, whoever the request names.
    for_need = await needs.post("/wishes", json=wish_body(need_id=need_id, community_id=None))
    assert for_need.status_code == 409, for_need.text

"""Consent checked where it matters: withdrawing it stops what it allowed, at once."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import orjson

from wushe_service.auth import Role
from wushe_service.identity import check_digit


def fourteen_years_before(days_from_today: int) -> date:
    """The birth date of whom turns 14 `days_from_today` (a 29 February becomes 1 March)."""
    day = datetime.now(UTC).date() + timedelta(days=days_from_today)
    if (day.month, day.day) == (2, 29):
        day += timedelta(days=1)
    return day.replace(year=day.year - 14)


def id_number(born: date, sequence: str = "002") -> str:
    first = f"110105{born:%Y%m%d}{sequence}"
    return first + check_digit(first)


def a_child(born: date, **changes) -> dict:
    return {
        "community_id": "fengshan",
        "groups": ["child"],
        "birth_year": born.year,
        "name": "李小明",
        "id_number": id_number(born),
        **changes,
    }


async def test_a_child_who_turns_14_tomorrow_needs_a_guardians_consent(needs, community):
    await community()
    by_self = {"consent": {"given_by": "self"}}
    refused = await needs.post("/residents", json=a_child(fourteen_years_before(1), **by_self))
    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "guardian_consent_required"
    accepted = await needs.post("/residents", json=a_child(fourteen_years_before(-1), **by_self))
    assert accepted.status_code == 201, accepted.text
    view = (await needs.get(f"/residents/{accepted.json()['resident_id']}")).json()
    assert view["age_band"] == "14_17"


async def test_with_the_birth_year_only_a_child_is_under_14_until_the_year_makes_it_certain(
    needs, community
):
    await community()
    child = a_child(fourteen_years_before(0), consent={"given_by": "guardian"})
    del child["id_number"]
    registered = await needs.post("/residents", json=child)
    assert registered.status_code == 201, registered.text
    rid = registered.json()["resident_id"]
    view = (await needs.get(f"/residents/{rid}")).json()
    by_self = await needs.post(
        f"/residents/{rid}/consents", json={"purpose": "services", "given_by": "self"}
    )
    today = datetime.now(UTC).date()
    if today < date(today.year, 12, 31):  # on 31 December the year makes it certain
        assert view["age_band"] == "under_14"
        assert by_self.status_code == 409, by_self.text
        assert by_self.json()["rule"] == "guardian_consent_required"


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


async def test_a_resident_may_refuse_services_without_having_consented_first(
    needs, resident, surveyed, levels
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("meal-delivery", "material", "high"))
    refused = await needs.post(f"/residents/{rid}/consents/services/withdraw")
    assert refused.status_code == 200, refused.text
    assert refused.json()["closed_needs"] == [need_id]
    survey = {"resident_id": rid, "method": "phone", "dimensions": levels}
    assert (await needs.post("/surveys", json=survey)).json()["rule"] == "consent_withdrawn"
    never_kept = await needs.post(f"/residents/{rid}/consents/personal_data/withdraw")
    assert never_kept.status_code == 409
    assert never_kept.json()["rule"] == "no_consent"


async def test_consent_history_records_withdrawals_reasons_and_who_recorded_each_change(
    needs, resident, token_for, sql
):
    rid = await resident(consent={"given_by": "self"})
    worker = uuid4()
    social_worker = await token_for(Role.social_worker, person=worker)
    withdrawn = await needs.post(
        f"/residents/{rid}/consents/sharing/withdraw",
        json={"reason": "guardian_request"},
        headers=social_worker,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    given = await needs.post(
        f"/residents/{rid}/consents",
        json={"purpose": "sharing", "given_by": "self"},
        headers=social_worker,
    )
    assert given.status_code < 300, given.text
    await needs.post(f"/residents/{rid}/consents/sharing/withdraw")  # no body: no reason said
    [published] = await sql(
        """SELECT data FROM needs.events WHERE event_type = 'wushe.needs.consent.withdrawn.v1'
           ORDER BY version LIMIT 1"""
    )
    data = orjson.loads(published["data"])
    assert (data["reason"], data["recorded_by"]) == ("guardian_request", str(worker))
    granted = await sql(
        """SELECT data->>'recorded_by' AS by FROM needs.events
           WHERE event_type = 'wushe.needs.consent.granted.v1' AND data->>'resident_id' = $1
           ORDER BY version""",
        rid,
    )
    assert [g["by"] for g in granted] == [None, str(worker)]  # the admin's token names no one
    for auditor_or_worker in (await token_for(Role.auditor), social_worker):
        view = (await needs.get(f"/residents/{rid}", headers=auditor_or_worker)).json()
        history = [{k: v for k, v in c.items() if k != "at"} for c in view["consent_history"]]
        assert history == [
            {"change": "granted", "purpose": "personal_data", "by": "self", "reason": None,
             "recorded_by": None},
            {"change": "withdrawn", "purpose": "sharing", "by": "guardian",
             "reason": "guardian_request", "recorded_by": str(worker)},
            {"change": "granted", "purpose": "sharing", "by": "self", "reason": None,
             "recorded_by": str(worker)},
            {"change": "withdrawn", "purpose": "sharing", "by": None, "reason": None,
             "recorded_by": None},
        ]  # fmt: skip
        times = [c["at"] for c in view["consent_history"]]
        assert times == sorted(times)
    volunteer = await token_for(Role.volunteer)
    assert (await needs.get(f"/residents/{rid}", headers=volunteer)).status_code == 403


async def test_a_withdrawal_for_a_reason_not_in_the_list_is_a_422_and_changes_nothing(
    needs, resident, count_events
):
    rid = await resident(consent={"given_by": "self"})
    before = await count_events()
    refused = await needs.post(
        f"/residents/{rid}/consents/sharing/withdraw", json={"reason": "搬走了"}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "reason"
    assert "搬走了" not in refused.text
    assert await count_events() == before

"""The audit trail: each event with the token that asked for it, for auditors only."""

from wushe_service.audit import aggregates_of
from wushe_service.auth import Role


async def test_the_audit_names_the_token_behind_each_event(needs, token_for, resident):
    social_worker = await token_for(Role.social_worker)
    created = await needs.post(
        "/communities",
        headers=social_worker,
        json={"community_id": "lanjiang", "name": "兰江社区", "street": "兰江街道"},
    )
    assert created.status_code == 201
    await resident()  # by the admin token of the test client

    as_auditor = await token_for(Role.auditor)
    trail = (await needs.get("/audit", headers=as_auditor)).json()["items"]
    newest = trail[0]
    assert newest["type"] == "wushe.needs.resident.registered.v1"
    assert newest["actor_role"] == "admin"
    [community] = [e for e in trail if e["aggregate_id"] == "lanjiang"]
    assert (community["type"], community["actor_role"], community["actor_name"]) == (
        "wushe.needs.community.registered.v1",
        "social_worker",
        "test social_worker",
    )
    assert "王秀英" not in str(trail)  # events carry no personal data, nor does their audit

    by_worker = (await needs.get(f"/audit?actor={community['actor']}", headers=as_auditor)).json()[
        "items"
    ]
    assert [e["event_id"] for e in by_worker] == [community["event_id"]]
    first = (await needs.get("/audit?limit=1", headers=as_auditor)).json()
    second = (
        await needs.get(f"/audit?limit=1&cursor={first['next_cursor']}", headers=as_auditor)
    ).json()
    assert [e["position"] for e in first["items"] + second["items"]] == [
        e["position"] for e in trail[:2]
    ]
    refused = await needs.get("/audit", headers=await token_for(Role.viewer))
    assert refused.status_code == 403


async def test_the_read_log_records_who_was_shown_a_residents_personal_data(
    needs, token_for, resident
):
    resident_id = await resident()
    social_worker = await token_for(Role.social_worker)
    shown = await needs.get(f"/residents/{resident_id}", headers=social_worker)
    assert shown.json()["personal_data"]["name"] == "王秀英"
    as_auditor = await token_for(Role.auditor)
    audited = await needs.get(f"/residents/{resident_id}", headers=as_auditor)
    assert audited.json()["personal_data"] is None  # nothing shown: nothing to log

    log = (
        await needs.get(f"/audit/personal-data?subject_id={resident_id}", headers=as_auditor)
    ).json()["items"]
    assert [(r["reader_role"], r["reader_name"], r["purpose"]) for r in log] == [
        ("social_worker", "test social_worker", "resident record")
    ]
    assert log[0]["correlation_id"] == shown.headers["X-Correlation-Id"]
    assert "王秀英" not in str(log)

    await needs.delete(f"/residents/{resident_id}/personal-data", headers=social_worker)
    await needs.get(f"/residents/{resident_id}", headers=social_worker)  # erased: nothing shown
    again = await needs.get(f"/audit/personal-data?reader={log[0]['reader']}", headers=as_auditor)
    assert [r["read_id"] for r in again.json()["items"]] == [log[0]["read_id"]]
    refused = await needs.get("/audit/personal-data", headers=social_worker)
    assert refused.status_code == 403


async def test_an_aggregate_the_service_does_not_record_is_a_422_listing_those_it_does(
    needs, token_for, resident
):
    await resident()
    as_auditor = await token_for(Role.auditor)
    refused = await needs.get("/audit?aggregate=residents", headers=as_auditor)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "query.aggregate"
    assert "community, need, resident, survey, wish" in error["message"]
    found = (await needs.get("/audit?aggregate=resident", headers=as_auditor)).json()["items"]
    assert [e["type"] for e in found] == ["wushe.needs.resident.registered.v1"]


def test_each_service_takes_the_aggregates_of_its_own_events():
    assert aggregates_of("needs") == ["community", "need", "resident", "survey", "wish"]
    assert "volunteer" in aggregates_of("volunteers")
    assert "wish" not in aggregates_of("volunteers")
    assert aggregates_of("funds") == ["application", "fund", "round"]
    assert aggregates_of("reporting") == []

"""Merging a duplicate record into the resident kept over HTTP (POST /residents/{id}/merge),
against the real PostgreSQL: what is handed over, what is destroyed, what is refused."""

import json
from uuid import UUID, uuid4

import pytest

from wushe_events.envelope import parse
from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until
from wushe_needs import store
from wushe_service.auth import Role

# The duplicate's own spelling, phone and address: gone with it.
DUPLICATE = {
    "name": "王秀瑛",
    "id_number": None,
    "phone": "13900001111",
    "address": "丰山社区7幢1单元302",
    "notes": "重复登记",
    "not_a_duplicate": True,
}
SECRETS = ("王秀瑛", "13900001111", "丰山社区7幢", "重复登记")


@pytest.fixture
def merge(needs):
    async def send(resident_id, into, headers=None, **fields):
        body = {"into": str(into), **fields}
        return await needs.post(f"/residents/{resident_id}/merge", json=body, headers=headers)

    return send


@pytest.fixture
def types_of(sql):
    async def types() -> list[str]:
        rows = await sql("SELECT event_type FROM needs.events ORDER BY global_position")
        return [r[0].removeprefix("wushe.needs.").removesuffix(".v1") for r in rows]

    return types


@pytest.fixture
def key_of(sql):
    async def key(resident_id):
        [row] = await sql(
            "SELECT wrapped_key FROM needs.personal_data WHERE subject_id = $1", UUID(resident_id)
        )
        return row[0]

    return key


async def test_open_needs_and_live_wishes_go_to_the_kept_record_and_the_rest_stays(
    needs, community, resident, surveyed, wish_body, known_volunteer, merge, types_of
):
    kept = await resident(community_id="jiangbin")
    dup = await resident(**DUPLICATE)
    matched, still_open, resolved = await surveyed(
        dup,
        ("daily-goods", "material", "high"),
        ("companionship", "spiritual", "normal"),
        ("meal-delivery", "material", "normal"),
        days_ago=3,
    )
    claimed = (await needs.post("/wishes", json=wish_body(need_id=matched))).json()["wish_id"]
    volunteer = await known_volunteer("李志愿者")
    await needs.post(f"/wishes/{claimed}/claim", json={"claimant_id": volunteer})
    posted = (await needs.post("/wishes", json=wish_body(resident_id=dup))).json()["wish_id"]
    ended = (await needs.post("/wishes", json=wish_body(resident_id=dup))).json()["wish_id"]
    assert (await needs.post(f"/wishes/{ended}/cancel", json={})).status_code == 200
    await needs.post(
        f"/needs/{resolved}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
    )
    before = await types_of()

    response = await merge(dup, kept)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["resident_id"], answer["merged_into"], answer["erased"]) == (dup, kept, True)
    assert sorted(answer["transferred_needs"]) == sorted([matched, still_open])
    assert sorted(answer["transferred_wishes"]) == sorted([claimed, posted])
    added = (await types_of())[len(before) :]
    assert added[:2] == ["resident.merged", "resident.erased"]
    assert sorted(added[2:]) == sorted(["wish.transferred"] * 2 + ["need.transferred"] * 2)

    for need_id in (matched, still_open):
        item = (await needs.get(f"/needs/{need_id}")).json()
        assert (item["resident_id"], item["community_id"]) == (kept, "jiangbin")
    item = (await needs.get(f"/needs/{matched}")).json()
    assert (item["state"], item["match_id"]) == ("matched", claimed)
    dealt_with = (await needs.get(f"/needs/{resolved}")).json()
    assert (dealt_with["resident_id"], dealt_with["state"]) == (dup, "resolved")
    held = (await needs.get(f"/wishes/{claimed}")).json()
    assert (held["state"], held["claimant_id"]) == ("claimed", volunteer)  # the claim stays
    assert (held["resident_id"], held["community_id"]) == (kept, "jiangbin")
    assert (await needs.get(f"/wishes/{posted}")).json()["resident_id"] == kept
    stayed = (await needs.get(f"/wishes/{ended}")).json()
    assert (stayed["state"], stayed["resident_id"]) == ("cancelled", dup)

    lists = {
        place: (await needs.get(f"/communities/{place}/needs")).json()["total"]
        for place in ("fengshan", "jiangbin")
    }
    assert lists == {"fengshan": 0, "jiangbin": 2}
    view = (await needs.get(f"/residents/{dup}")).json()
    assert (view["merged_into"], view["erased"]) == (kept, True)
    assert (await needs.get(f"/residents/{kept}")).json()["merged_into"] is None


async def test_the_kept_records_timeline_holds_the_merged_records_history_in_order(
    needs, resident, surveyed, wish_body, merge, token_for
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    [found] = await surveyed(dup, ("daily-goods", "material", "high"), days_ago=2)
    await needs.post("/wishes", json=wish_body(need_id=found))
    await surveyed(kept, days_ago=1)
    assert (await merge(dup, kept)).status_code == 200

    auditor = await token_for(Role.auditor)
    timeline = (await needs.get(f"/residents/{kept}/timeline", headers=auditor)).json()
    items = timeline["items"]
    positions = [i["position"] for i in items]
    assert positions == sorted(positions)
    types = [i["type"].removeprefix("wushe.needs.").removesuffix(".v1") for i in items]
    assert types.count("resident.registered") == 2
    assert types.count("survey.recorded") == 2
    assert types.count("need.identified") == 1
    assert types.count("wish.posted") == 1
    assert types[-4:-2] == ["resident.merged", "resident.erased"]
    assert sorted(types[-2:]) == ["need.transferred", "wish.transferred"]
    assert {i["aggregate_id"] for i in items if i["aggregate"] == "resident"} == {kept, dup}


async def test_the_merge_reaches_the_bus_as_contract_events_without_personal_data(
    needs, resident, surveyed, wish_body, merge, js, office, relay
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    [need_id] = await surveyed(dup, ("daily-goods", "material", "high"))
    wish_id = (await needs.post("/wishes", json=wish_body(resident_id=dup))).json()["wish_id"]
    assert (await merge(dup, kept)).status_code == 200

    async def merge_published():
        found = await stream_messages(js, stream_name(office))
        types = [json.loads(m.data)["type"] for m in found]
        return found if types.count("wushe.needs.wish.transferred.v1") == 1 else None

    messages = await wait_until(merge_published, message="the merge's events reach the bus")
    published = {parse(m.data).type: (m.subject, parse(m.data)) for m in messages}
    subject, envelope = published["wushe.needs.resident.merged.v1"]
    assert (subject, envelope.subject) == (
        f"wushe.{office}.needs.resident.merged",
        f"resident/{dup}",
    )
    merged = envelope.event()
    assert (str(merged.resident_id), str(merged.into_resident_id)) == (dup, kept)
    assert published["wushe.needs.resident.erased.v1"][1].subject == f"resident/{dup}"
    need = published["wushe.needs.need.transferred.v1"][1].event()
    wish = published["wushe.needs.wish.transferred.v1"][1].event()
    for moved in (need, wish):
        assert str(moved.resident_id) == kept
        assert str(moved.from_resident_id) == dup
    assert (str(need.need_id), str(wish.wish_id)) == (need_id, wish_id)
    on_the_bus = "\n".join(m.data.decode("utf-8") for m in messages)
    for secret in SECRETS:
        assert secret not in on_the_bus, f"{secret!r} is on the bus"


async def test_the_duplicates_personal_data_is_destroyed_and_shown_nowhere(
    needs, resident, merge, token_for, key_of
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    social_worker = await token_for(Role.social_worker)
    shown = (await needs.get(f"/residents/{dup}", headers=social_worker)).json()
    assert shown["personal_data"]["name"] == "王秀瑛"

    assert (await merge(dup, kept, headers=social_worker)).status_code == 200

    assert await key_of(dup) is None
    assert await key_of(kept) is not None
    answers = [
        await needs.get(f"/residents/{dup}", headers=social_worker),
        await needs.get(f"/residents/{kept}", headers=social_worker),
        await needs.get(
            "/residents?community_id=fengshan&with=personal_data", headers=social_worker
        ),
        await needs.get("/residents/due?with=personal_data", headers=social_worker),
        await needs.get(f"/residents/{kept}/timeline", headers=social_worker),
        await needs.get(f"/residents/{dup}/timeline", headers=social_worker),
        await needs.post("/residents/search", json={"name": "王秀瑛"}, headers=social_worker),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert not any(secret in answer.text for secret in SECRETS)
    assert answers[0].json()["personal_data"] is None
    assert answers[1].json()["personal_data"]["name"] == "王秀英"
    assert answers[-1].json()["items"] == []


async def test_the_merged_record_drops_out_of_the_visits_due_and_its_visits_count(
    needs, resident, surveyed, merge
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    due = {i["resident_id"] for i in (await needs.get("/residents/due")).json()["items"]}
    assert due == {kept, dup}

    assert (await merge(dup, kept)).status_code == 200

    due = [i["resident_id"] for i in (await needs.get("/residents/due")).json()["items"]]
    assert due == [kept]
    third = await resident(name="王秀莹", id_number=None, phone="13500004444")
    await surveyed(third, days_ago=2)  # visited under the third record, two days ago
    assert (await needs.get("/residents/due")).json()["items"][0]["resident_id"] == kept
    assert (await merge(kept, third)).status_code == 200
    assert (await needs.get("/residents/due")).json()["items"] == []
    due = (await needs.get("/residents/due?days=1")).json()["items"]
    assert [i["resident_id"] for i in due] == [third]


async def test_writes_on_the_merged_record_are_refused_naming_the_kept_one(
    needs, resident, levels, wish_body, merge, count_events
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    assert (await merge(dup, kept)).status_code == 200
    before = await count_events()

    refused = [
        await needs.post(
            "/surveys", json={"resident_id": dup, "method": "home_visit", "dimensions": levels}
        ),
        await needs.post("/wishes", json=wish_body(resident_id=dup)),
        await needs.post(
            f"/residents/{dup}/consents", json={"purpose": "services", "given_by": "self"}
        ),
        await needs.post(f"/residents/{dup}/consents/services/withdraw"),
        await needs.post(f"/residents/{dup}/correct", json={"groups": ["other"]}),
        await needs.delete(f"/residents/{dup}/personal-data"),
        await merge(dup, kept),
    ]
    for answer in refused:
        assert answer.status_code == 409, answer.text
        assert answer.json()["rule"] == "resident_merged"
        assert kept in answer.json()["detail"]
        assert answer.json()["merged_into"] == kept
    assert await count_events() == before


async def test_each_broken_rule_is_refused_and_changes_nothing(
    needs, resident, merge, count_events, key_of, token_for
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    erased = await resident(name="李建国", id_number=None, phone="13700002222")
    assert (await needs.delete(f"/residents/{erased}/personal-data")).status_code == 200
    gone = await resident(name="张伟", id_number=None, phone="13600003333")
    assert (await merge(gone, kept)).status_code == 200
    before, keys = await count_events(), (await key_of(dup), await key_of(kept))

    cases = [
        (await merge(dup, dup), 409, "merge_into_self"),
        (await merge(dup, erased), 409, "resident_erased"),
        (await merge(erased, kept), 409, "resident_erased"),
        (await merge(dup, gone), 409, "resident_merged"),
        (await merge(gone, dup), 409, "resident_merged"),
    ]
    for answer, status, rule in cases:
        assert answer.status_code == status, answer.text
        assert answer.json()["rule"] == rule
    for into in (uuid4(), "not-a-resident-id"):
        refused = await merge(dup, into)
        assert refused.status_code == 422, refused.text
        assert "into" in refused.text
    assert (await merge(uuid4(), kept)).status_code == 404
    assert (await merge(dup, kept, reason="Not A Slug")).status_code == 422
    auditor = await token_for(Role.auditor)
    assert (await merge(dup, kept, headers=auditor)).status_code == 403
    assert await count_events() == before
    assert (await key_of(dup), await key_of(kept)) == keys


async def test_a_kept_record_who_refused_services_takes_on_no_open_need_and_nothing_changes(
    needs, resident, surveyed, merge, count_events, key_of
):
    kept = await resident()
    dup = await resident(**DUPLICATE)
    await surveyed(dup, ("daily-goods", "material", "high"))
    withdrawn = await needs.post(f"/residents/{kept}/consents/services/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    before, key = await count_events(), await key_of(dup)

    refused = await merge(dup, kept)

    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "consent_withdrawn"
    assert (await count_events(), await key_of(dup)) == (before, key)


async def test_replaying_the_history_rebuilds_the_same_tables_after_a_merge(
    needs, runtime, resident, surveyed, wish_body, merge, sql
):
    kept = await resident(community_id="jiangbin")
    dup = await resident(**DUPLICATE)
    [found] = await surveyed(dup, ("daily-goods", "material", "high"))
    await needs.post("/wishes", json=wish_body(need_id=found))
    assert (await merge(dup, kept)).status_code == 200
    tables = ("residents", "need_items", "wishes", "surveys")

    async def contents():
        return {t: await sql(f"SELECT * FROM needs.{t} ORDER BY 1") for t in tables}

    before = await contents()
    assert await store.rebuild(runtime.store) == len(await sql("SELECT 1 FROM needs.events"))
    assert await contents() == before

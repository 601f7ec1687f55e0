"""Erasing a resident's personal data (crypto-shredding): gone from everywhere, history kept."""

from wushe_needs import store
from wushe_service.auth import Role

SECRETS = ("王秀英", "11010519491231002X", "13812345678", "丰山社区3幢", "独居，行动不便")


async def test_after_erasure_the_personal_data_is_nowhere_and_replay_still_works(
    needs, runtime, resident, levels, token_for, sql
):
    rid = await resident()
    await needs.post(
        "/surveys", json={"resident_id": rid, "method": "home_visit", "dimensions": levels}
    )
    social_worker = await token_for(Role.social_worker)
    assert (await needs.get(f"/residents/{rid}", headers=social_worker)).json()["personal_data"][
        "name"
    ] == "王秀英"

    erased = await needs.delete(f"/residents/{rid}/personal-data", headers=social_worker)
    assert erased.status_code == 200

    view = await needs.get(f"/residents/{rid}", headers=social_worker)
    assert view.json()["personal_data"] is None
    assert view.json()["erased"] is True
    listed = await needs.get("/residents?community_id=fengshan", headers=social_worker)
    for response in (view, listed):
        assert not any(s in response.text for s in SECRETS)

    # No table of the office's database holds them in plain text any more.
    tables = await sql("""SELECT table_schema, table_name FROM information_schema.tables
                          WHERE table_schema NOT IN ('pg_catalog', 'information_schema')""")
    dump = ""
    for table in tables:
        rows = await sql(f'SELECT * FROM "{table[0]}"."{table[1]}"')
        dump += repr([tuple(r) for r in rows])
    assert not any(s in dump for s in SECRETS)
    [key] = await sql("SELECT wrapped_key, ciphertext FROM needs.personal_data")
    assert key["wrapped_key"] is None
    assert key["ciphertext"] == b""

    # The history is intact: replaying it rebuilds the same read tables.
    before = await sql("SELECT * FROM needs.residents ORDER BY resident_id")
    assert await store.rebuild(runtime.store) == len(await sql("SELECT 1 FROM needs.events"))
    assert await sql("SELECT * FROM needs.residents ORDER BY resident_id") == before
    types = [r[0] for r in await sql("SELECT event_type FROM needs.events ORDER BY 1")]
    assert "wushe.needs.resident.erased.v1" in types
    assert "wushe.needs.resident.registered.v1" in types

    again = await needs.delete(f"/residents/{rid}/personal-data", headers=social_worker)
    assert again.status_code == 409
    assert again.json()["rule"] == "resident_erased"


async def test_erasure_cancels_the_residents_live_wishes_and_closes_open_needs(
    needs, resident, levels, token_for, wish_body, known_volunteer, sql
):
    rid = await resident()
    needs_found = [{"category": "meal-delivery", "dimension": "material", "urgency": "high"}]
    surveyed = await needs.post(
        "/surveys",
        json={
            "resident_id": rid,
            "method": "home_visit",
            "dimensions": levels,
            "needs": needs_found,
        },
    )
    [need_id] = surveyed.json()["need_ids"]
    posted = (await needs.post("/wishes", json=wish_body(resident_id=rid))).json()["wish_id"]
    claimed = (await needs.post("/wishes", json=wish_body(resident_id=rid))).json()["wish_id"]
    volunteer = await known_volunteer()
    response = await needs.post(f"/wishes/{claimed}/claim", json={"claimant_id": volunteer})
    assert response.status_code == 200, response.text
    untouched = (await needs.post("/wishes", json=wish_body())).json()["wish_id"]  # no one's

    social_worker = await token_for(Role.social_worker)
    erased = await needs.delete(f"/residents/{rid}/personal-data", headers=social_worker)
    assert erased.status_code == 200
    assert erased.json()["erased"] is True
    assert sorted(erased.json()["cancelled_wishes"]) == sorted([posted, claimed])
    assert erased.json()["closed_needs"] == [need_id]

    for wish_id in (posted, claimed):
        wish = (await needs.get(f"/wishes/{wish_id}")).json()
        assert wish["state"] == "cancelled", wish
    assert (await needs.get(f"/wishes/{untouched}")).json()["state"] == "posted"
    need = (await needs.get(f"/needs/{need_id}")).json()
    assert need["state"] == "closed", need
    reasons = await sql(
        """SELECT data->>'reason' FROM needs.events
           WHERE event_type IN ('wushe.needs.wish.cancelled.v1', 'wushe.needs.need.resolved.v1')"""
    )
    assert len(reasons) == 3
    assert {r[0] for r in reasons} == {"resident-erased"}

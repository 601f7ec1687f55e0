"""Finding a resident by name, ID number or phone through the blind index; one resident per
ID number."""

from uuid import UUID

from wushe_service.auth import Role
from wushe_service.identity import check_digit
from wushe_service.personal_data import Sealed

ID_NUMBER = "11010519491231002X"


async def test_a_social_worker_finds_a_resident_by_id_number_name_or_phone(
    needs, resident, token_for
):
    rid = await resident()
    social_worker = await token_for(Role.social_worker)

    async def find(**fields):
        return await needs.post("/residents/search", json=fields, headers=social_worker)

    for fields in (
        {"id_number": ID_NUMBER.lower()},
        {"name": "王 秀英"},
        {"phone": "138 1234 5678"},
        {"name": "王秀英", "phone": "13812345678"},
    ):
        found = await find(**fields)
        assert found.status_code == 200, found.text
        [one] = found.json()["items"]
        assert (one["resident_id"], one["personal_data"]["name"]) == (rid, "王秀英"), fields
    assert (await find(name="王秀英", phone="13900000000")).json()["items"] == []

    assert (await find()).status_code == 422
    bad = await find(id_number="110105194912310021")
    assert bad.status_code == 422
    assert "id_number" in bad.json()["detail"]
    viewer = await needs.post(
        "/residents/search", json={"name": "王秀英"}, headers=await token_for(Role.viewer)
    )
    assert viewer.status_code == 403
    log = await needs.get(
        f"/audit/personal-data?subject_id={rid}", headers=await token_for(Role.auditor)
    )
    assert {r["purpose"] for r in log.json()["items"]} == {"resident search"}


async def test_an_id_number_is_registered_once_until_its_resident_is_erased(
    needs, resident, count_events, token_for
):
    first = await resident()
    before = await count_events()
    twice = await needs.post(
        "/residents",
        json={
            "community_id": "fengshan",
            "groups": ["elderly"],
            "birth_year": 1949,
            "name": "王秀英",
            "id_number": ID_NUMBER,
        },
    )
    assert twice.status_code == 409, twice.text
    assert twice.json()["rule"] == "resident_exists"
    assert first in twice.json()["detail"]
    assert twice.json()["duplicate_of"] == first
    assert ID_NUMBER not in twice.text
    assert await count_events() == before

    social_worker = await token_for(Role.social_worker)
    await needs.delete(f"/residents/{first}/personal-data", headers=social_worker)
    gone = await needs.post(
        "/residents/search", json={"id_number": ID_NUMBER}, headers=social_worker
    )
    assert gone.json()["items"] == []  # erased: not even findable


async def test_residents_stored_before_the_index_are_indexed_at_start(needs, resident, sql):
    rid = await resident()
    twin = (
        await needs.post(
            "/residents",
            json={
                "community_id": "fengshan",
                "groups": ["elderly"],
                "birth_year": 1949,
                "name": "王秀英",
                "not_a_duplicate": True,
            },
        )
    ).json()["resident_id"]
    vault = needs.app.state.vault
    # Before the index, nothing stopped a second record with the same ID number.
    [person] = await sql("SELECT * FROM needs.personal_data WHERE subject_id = $1", rid)
    fields = vault.open(
        person["subject_id"], Sealed(person["wrapped_key"], person["nonce"], person["ciphertext"])
    )
    copy = vault.seal(UUID(twin), fields)
    await sql(
        "UPDATE needs.personal_data SET wrapped_key = $2, nonce = $3, ciphertext = $4"
        " WHERE subject_id = $1",
        UUID(twin),
        copy.wrapped_key,
        copy.nonce,
        copy.ciphertext,
    )
    await sql("DELETE FROM needs.personal_data_index")
    assert (await needs.post("/residents/search", json={"name": "王秀英"})).json()["items"] == []

    async with needs.app.state.runtime.store.connection() as db:
        assert await vault.index_missing(db) == 2
        assert await vault.index_missing(db) == 0  # done once
    by_name = (await needs.post("/residents/search", json={"name": "王秀英"})).json()["items"]
    assert sorted(r["resident_id"] for r in by_name) == sorted([rid, twin])
    by_id = (await needs.post("/residents/search", json={"id_number": ID_NUMBER})).json()
    assert len(by_id["items"]) == 1  # the first indexed keeps the ID number; both are kept


async def test_a_resident_with_a_fixed_line_only_is_registered_and_found_by_any_spelling(
    needs, resident, token_for
):
    rid = await resident(phone="0574 6234 5678")  # 固定电话: no mobile phone
    social_worker = await token_for(Role.social_worker)
    view = await needs.get(f"/residents/{rid}", headers=social_worker)
    assert view.json()["personal_data"]["phone"] == "0574-62345678"
    for spelling in ("0574-62345678", "057462345678", "(0574) 62345678", "+86 574 62345678"):
        found = await needs.post(
            "/residents/search", json={"phone": spelling}, headers=social_worker
        )
        assert [r["resident_id"] for r in found.json()["items"]] == [rid], spelling
    refused = await needs.post("/residents/search", json={"phone": "62345678"})
    assert refused.status_code == 422
    assert "area code" in refused.json()["detail"]


async def test_numbers_typed_full_width_are_stored_and_found_in_one_form(
    needs, resident, token_for
):
    rid = await resident(
        id_number="１１０１０５１９４９１２３１００２ｘ", phone="１３８－１２３４－５６７８"
    )
    social_worker = await token_for(Role.social_worker)
    for fields in (
        {"id_number": ID_NUMBER},
        {"phone": "13812345678"},
        {"id_number": "110105 19491231 002X"},
        {"phone": "１３８１２３４５６７８"},
    ):
        found = await needs.post("/residents/search", json=fields, headers=social_worker)
        assert [r["resident_id"] for r in found.json()["items"]] == [rid], fields
    [one] = found.json()["items"]
    assert (one["personal_data"]["id_number"], one["personal_data"]["phone"]) == (
        ID_NUMBER,
        "13812345678",
    )


async def test_an_id_number_of_no_province_is_a_422_naming_it(needs, community, count_events):
    await community()
    before = await count_events()
    first = "99010519491231002"
    response = await needs.post(
        "/residents",
        json={
            "community_id": "fengshan",
            "groups": ["elderly"],
            "birth_year": 1949,
            "name": "王秀英",
            "id_number": first + check_digit(first),
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "id_number"
    assert "province" in response.text
    assert await count_events() == before

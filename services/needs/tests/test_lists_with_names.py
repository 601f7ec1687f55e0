"""The lists a social worker plans their day from, with residents' names when asked for
(`?with=personal_data`): read-logged per resident shown, pseudonymous otherwise."""

import pytest

from wushe_service.auth import Role

NEIGHBOUR = {
    "community_id": "fengshan",
    "groups": ["elderly"],
    "birth_year": 1950,
    "name": "李桂兰",
    "phone": "13900001111",
    "address": "丰山社区5幢101",
    "notes": "女儿在杭州",
}


@pytest.fixture
async def two_residents(needs, resident, surveyed, wish_body):
    """王秀英 and 李桂兰 in fengshan, each with an open need and a wish; a wish for nobody."""
    first = await resident()
    registered = await needs.post("/residents", json=NEIGHBOUR)
    assert registered.status_code == 201, registered.text
    second = registered.json()["resident_id"]
    for rid in (first, second):
        await surveyed(rid, ("meal-delivery", "material", "high"), days_ago=60)
        posted = await needs.post("/wishes", json=wish_body(resident_id=rid))
        assert posted.status_code == 201, posted.text
    assert (await needs.post("/wishes", json=wish_body())).status_code == 201
    return first, second


@pytest.fixture
def read_log(needs, token_for):
    async def read() -> list[tuple[str, str, str]]:
        auditor = await token_for(Role.auditor)
        items = (await needs.get("/audit/personal-data?limit=200", headers=auditor)).json()
        return sorted((r["subject_id"], r["reader_role"], r["purpose"]) for r in items["items"])

    return read


async def test_a_social_worker_asks_for_the_names_and_each_one_shown_is_read_logged(
    needs, two_residents, token_for, read_log
):
    first, second = two_residents
    worker = await token_for(Role.social_worker)

    plain = await needs.get("/residents?community_id=fengshan", headers=worker)
    assert plain.status_code == 200, plain.text
    assert all("personal_data" not in r for r in plain.json()["items"])
    assert "王秀英" not in plain.text
    assert await read_log() == []  # a list without names discloses nobody

    named = await needs.get("/residents?community_id=fengshan&with=personal_data", headers=worker)
    assert named.status_code == 200, named.text
    assert {r["resident_id"]: r["personal_data"] for r in named.json()["items"]} == {
        first: {"name": "王秀英"},
        second: {"name": "李桂兰"},
    }
    assert "11010519491231002X" not in named.text  # the name, nothing more
    assert await read_log() == sorted(
        [
            (first, "social_worker", "resident list: name"),
            (second, "social_worker", "resident list: name"),
        ]
    )


async def test_the_visit_list_has_names_addresses_and_phones(needs, two_residents, token_for):
    first, second = two_residents
    worker = await token_for(Role.social_worker)
    due = await needs.get("/residents/due?days=30&with=personal_data", headers=worker)
    assert due.status_code == 200, due.text
    assert {r["resident_id"]: r["personal_data"] for r in due.json()["items"]} == {
        first: {"name": "王秀英", "address": "丰山社区3幢2单元101", "phone": "13812345678"},
        second: {"name": "李桂兰", "address": "丰山社区5幢101", "phone": "13900001111"},
    }
    assert "独居" not in due.text  # the notes stay in the record
    log = (
        await needs.get(
            f"/audit/personal-data?subject_id={first}", headers=await token_for(Role.auditor)
        )
    ).json()["items"]
    assert [(r["purpose"], r["correlation_id"]) for r in log] == [
        ("visit list: name, address, phone", due.headers["X-Correlation-Id"])
    ]


async def test_needs_and_wishes_lists_name_whom_they_are_for(needs, two_residents, token_for):
    first, second = two_residents
    worker = await token_for(Role.social_worker)
    listed = await needs.get("/communities/fengshan/needs?with=personal_data", headers=worker)
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 2
    assert sorted(n["resident_name"] for n in listed.json()["items"]) == ["李桂兰", "王秀英"]
    wishes = await needs.get("/wishes?community_id=fengshan&with=personal_data", headers=worker)
    assert {w["resident_id"]: w["resident_name"] for w in wishes.json()["items"]} == {
        first: "王秀英",
        second: "李桂兰",
        None: None,  # a wish for nobody in particular
    }
    plain = await needs.get("/wishes?community_id=fengshan", headers=worker)
    assert all("resident_name" not in w for w in plain.json()["items"])


async def test_a_page_is_opened_with_one_vault_query_not_one_per_row(
    needs, two_residents, token_for, monkeypatch
):
    def per_row(*_args, **_kwargs):
        raise AssertionError("a list reads the vault once per page")

    vault = needs.app.state.vault
    monkeypatch.setattr(vault, "read", per_row)
    monkeypatch.setattr(vault, "disclose", per_row)
    calls = []
    batched = vault.disclose_many

    async def counted(*args, **kwargs):
        calls.append(kwargs["purpose"])
        return await batched(*args, **kwargs)

    monkeypatch.setattr(vault, "disclose_many", counted)
    worker = await token_for(Role.social_worker)
    for path in ("/residents", "/residents/due", "/communities/fengshan/needs", "/wishes"):
        response = await needs.get(f"{path}?with=personal_data", headers=worker)
        assert response.status_code == 200, (path, response.text)
    assert len(calls) == 4


@pytest.mark.parametrize(
    "path", ["/residents", "/residents/due", "/communities/fengshan/needs", "/wishes"]
)
@pytest.mark.parametrize("role", [Role.auditor, Role.volunteer, Role.viewer])
async def test_other_roles_are_refused_the_names_and_keep_the_pseudonymous_list(
    needs, two_residents, token_for, read_log, path, role
):
    token = await token_for(role)
    asked = await needs.get(f"{path}?with=personal_data", headers=token)
    assert asked.status_code == 403, asked.text
    assert "role" in asked.json()["detail"]
    plain = await needs.get(path, headers=token)
    if role is Role.auditor or path in ("/communities/fengshan/needs", "/wishes"):
        assert plain.status_code == 200, plain.text
        assert "王秀英" not in plain.text
        assert "resident_name" not in plain.text
    assert await read_log() == []


async def test_an_erased_resident_shows_no_name_and_no_read_is_logged(
    needs, two_residents, token_for, read_log
):
    first, second = two_residents
    worker = await token_for(Role.social_worker)
    assert (
        await needs.delete(f"/residents/{first}/personal-data", headers=worker)
    ).status_code == 200
    listed = await needs.get("/residents?with=personal_data", headers=worker)
    assert {r["resident_id"]: r["personal_data"] for r in listed.json()["items"]} == {
        first: None,
        second: {"name": "李桂兰"},
    }
    wishes = await needs.get("/wishes?state=cancelled&with=personal_data", headers=worker)
    assert [(w["resident_id"], w["resident_name"]) for w in wishes.json()["items"]] == [
        (first, None)
    ]
    assert "王秀英" not in listed.text + wishes.text
    assert {subject for subject, _, _ in await read_log()} == {second}


async def test_with_takes_only_personal_data(needs, token_for):
    worker = await token_for(Role.social_worker)
    response = await needs.get("/residents?with=everything", headers=worker)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.with"

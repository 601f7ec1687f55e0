"""账号管理 over HTTP: an office admin makes, lists and revokes accounts (bearer tokens) with the
rules of `wushe token`, against the real PostgreSQL; nobody else may, and a new token is shown
once and never again — not in the list, not in the logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.testing import wait_until
from wushe_service import testing
from wushe_service.auth import Role
from wushe_service.testing import ADMIN_TOKEN


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def sql(database_url):
    return testing.sql(database_url)


@pytest.fixture
def make(volunteers):
    """Makes an account as the admin: the answer, asserted 201."""

    async def create(**body) -> dict:
        answer = await volunteers.post("/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    return create


class TestCreateAccount:
    async def test_a_new_accounts_token_works_on_the_service_as_the_person(
        self, volunteers, volunteer, make
    ):
        person = await volunteer()
        made = await make(role="volunteer", name="李明", person_id=person, street="阳明街道")

        assert made["token"].startswith("wst_")
        me = await volunteers.get("/me", headers=bearer(made["token"]))
        assert me.status_code == 200, me.text
        assert me.json()["role"] == "volunteer"
        assert me.json()["person_id"] == person
        assert me.json()["street"] == "阳明街道"
        # A volunteer's own record, with their personal data: the token acts for them.
        own = await volunteers.get(f"/volunteers/{person}", headers=bearer(made["token"]))
        assert own.status_code == 200, own.text
        assert own.json()["personal_data"]["name"] == "李明"

    async def test_the_answer_is_not_cached_and_says_who_made_it(self, volunteers, make):
        answer = await volunteers.post("/accounts", json={"role": "viewer", "name": "张查看"})
        assert answer.status_code == 201, answer.text
        assert answer.headers["cache-control"] == "no-store"
        made = answer.json()
        assert made["state"] == "active"
        assert made["created_by_name"] == "bootstrap-admin"

    async def test_an_expiring_account_says_when(self, volunteers, make):
        expires = datetime.now(UTC) + timedelta(days=30)
        made = await make(role="fund_manager", name="陈基金", expires_at=expires.isoformat())
        assert datetime.fromisoformat(made["expires_at"]) == expires


class TestRefusedAccounts:
    @pytest.mark.parametrize(
        ("body", "field", "kind"),
        [
            ({"role": "volunteer", "name": "李明"}, "person_id", "person_required"),
            ({"role": "reviewer", "name": "赵评审"}, "person_id", "person_required"),
            ({"role": "volunteer", "name": "李明", "person_id": str(uuid4())}, "person_id",
             "unknown_person"),
            ({"role": "social_worker", "name": "王社工", "street": "不存在街道"}, "street",
             "unknown_street"),
            ({"role": "chief", "name": "王社工"}, "role", "enum"),
            ({"role": "social_worker", "name": ""}, "name", "string_too_short"),
            ({"role": "viewer", "name": "张查看", "expires_at": "2020-01-01T00:00:00Z"},
             "expires_at", "expiry_past"),
            ({"role": "viewer", "name": "张查看", "token": "wst_mine"}, "token",
             "extra_forbidden"),
        ],
    )  # fmt: skip
    async def test_a_bad_field_is_a_422_naming_it_and_makes_nothing(
        self, volunteers, body, field, kind
    ):
        before = (await volunteers.get("/accounts")).json()["items"]
        answer = await volunteers.post("/accounts", json=body)
        assert answer.status_code == 422, answer.text
        assert [(e["field"], e["type"]) for e in answer.json()["errors"]] == [(field, kind)]
        assert (await volunteers.get("/accounts")).json()["items"] == before

    async def test_a_withdrawn_volunteer_gets_no_account(self, volunteers, volunteer):
        person = await volunteer()
        withdrawn = await volunteers.post(f"/volunteers/{person}/withdraw")
        assert withdrawn.status_code == 200, withdrawn.text
        answer = await volunteers.post(
            "/accounts", json={"role": "volunteer", "name": "李明", "person_id": person}
        )
        assert answer.status_code == 409, answer.text
        assert answer.json()["rule"] == "person_withdrawn"

    @pytest.mark.parametrize("role", [r for r in Role if r is not Role.admin])
    async def test_only_an_admin_manages_accounts(self, volunteers, token_for, make, role):
        other = await make(role="viewer", name="张查看")
        headers = await token_for(role)
        listed = await volunteers.get("/accounts", headers=headers)
        created = await volunteers.post(
            "/accounts", json={"role": "admin", "name": "我自己"}, headers=headers
        )
        revoked = await volunteers.post(f"/accounts/{other['token_id']}/revoke", headers=headers)
        assert [listed.status_code, created.status_code, revoked.status_code] == [403] * 3
        me = await volunteers.get("/me", headers=bearer(other["token"]))
        assert me.status_code == 200, "the refused revocation changed nothing"

    async def test_without_a_token_the_list_is_a_401(self, volunteers):
        answer = await volunteers.get("/accounts", headers={"Authorization": ""})
        assert answer.status_code == 401, answer.text


class TestListAccounts:
    async def test_the_list_names_the_person_and_never_shows_a_token(
        self, volunteers, volunteer, make
    ):
        person = await volunteer(name="王协调", phone="13900000001")
        made = await make(role="coordinator", name="王协调", person_id=person)

        listed = await volunteers.get("/accounts")
        assert listed.status_code == 200, listed.text
        [row] = [a for a in listed.json()["items"] if a["token_id"] == made["token_id"]]
        assert row["person_name"] == "王协调"
        assert row["role"] == "coordinator"
        assert row["state"] == "active"
        assert "token" not in row
        assert made["token"] not in listed.text
        assert ADMIN_TOKEN not in listed.text
        assert "token_hash" not in listed.text


class TestLastUsed:
    async def test_the_list_says_when_an_account_was_last_used(self, volunteers, make):
        used = await make(role="viewer", name="张查看")
        unused = await make(role="viewer", name="李查看")
        me = await volunteers.get("/me", headers=bearer(used["token"]))
        assert me.status_code == 200, me.text

        listed = {a["token_id"]: a for a in (await volunteers.get("/accounts")).json()["items"]}
        last_used = datetime.fromisoformat(listed[used["token_id"]]["last_used_at"])
        assert abs(datetime.now(UTC) - last_used) < timedelta(minutes=1)
        assert listed[unused["token_id"]]["last_used_at"] is None


class TestRevokeAccount:
    async def test_a_revoked_accounts_token_is_refused_at_once(self, volunteers, make):
        made = await make(role="social_worker", name="王社工")
        assert (await volunteers.get("/me", headers=bearer(made["token"]))).status_code == 200

        revoked = await volunteers.post(f"/accounts/{made['token_id']}/revoke")
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["state"] == "revoked"
        assert revoked.json()["revoked_by_name"] == "bootstrap-admin"

        async def refused() -> bool:
            me = await volunteers.get("/me", headers=bearer(made["token"]))
            return me.status_code == 401

        await wait_until(refused, timeout=10, message="the revoked token is refused")

    async def test_revoking_twice_is_a_409_and_an_unknown_account_a_404(self, volunteers, make):
        made = await make(role="viewer", name="张查看")
        first = await volunteers.post(f"/accounts/{made['token_id']}/revoke")
        assert first.status_code == 200, first.text
        again = await volunteers.post(f"/accounts/{made['token_id']}/revoke")
        assert again.status_code == 409, again.text
        assert again.json()["rule"] == "account_revoked"
        unknown = await volunteers.post(f"/accounts/{uuid4()}/revoke")
        assert unknown.status_code == 404, unknown.text

    async def test_an_admin_cannot_revoke_the_token_they_are_signed_in_with(self, volunteers, make):
        admin = await make(role="admin", name="刘管理")
        answer = await volunteers.post(
            f"/accounts/{admin['token_id']}/revoke", headers=bearer(admin["token"])
        )
        assert answer.status_code == 409, answer.text
        assert answer.json()["rule"] == "own_account"
        assert (await volunteers.get("/me", headers=bearer(admin["token"]))).status_code == 200

    async def test_an_account_of_another_office_is_not_found(self, volunteers, token_for, sql):
        await token_for(Role.viewer, "外地查看", office="elsewhere")
        [row] = await sql("SELECT token_id FROM auth.tokens WHERE name = '外地查看'")
        answer = await volunteers.post(f"/accounts/{row['token_id']}/revoke")
        assert answer.status_code == 404, answer.text


async def test_no_token_reaches_the_logs(volunteers, volunteer, make, caplog):
    caplog.set_level(logging.DEBUG)
    person = await volunteer()
    made = await make(role="volunteer", name="李明", person_id=person)
    await volunteers.get("/accounts")
    await volunteers.post(f"/accounts/{made['token_id']}/revoke")
    assert made["token_id"] in caplog.text  # the account was logged, by its id
    assert made["token"] not in caplog.text
    assert made["token"].removeprefix("wst_") not in caplog.text

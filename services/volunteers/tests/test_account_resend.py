"""账号管理: a create resent with its Idempotency-Key (a timeout, a double click) makes no second
token — against the real PostgreSQL, one token row however the sends fall — and the resend is
told the account made, never its token."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from wushe_service import accounts, testing


@pytest.fixture
def sql(database_url):
    return testing.sql(database_url)


def _request() -> dict[str, str]:
    return {"role": "viewer", "name": f"查看{uuid4().hex[:6]}"}


async def _tokens_named(sql, name: str) -> int:
    rows = await sql("SELECT count(*) FROM auth.tokens WHERE name = $1", name)
    return rows[0][0]


class TestResentCreate:
    async def test_a_resend_with_the_same_key_makes_no_second_token(self, volunteers, sql):
        sent, key = _request(), {"Idempotency-Key": f"account-{uuid4()}"}

        first = await volunteers.post("/accounts", json=sent, headers=key)
        again = await volunteers.post("/accounts", json=sent, headers=key)

        assert first.status_code == 201, first.text
        assert again.status_code == 409, again.text
        assert again.json()["rule"] == "token_shown_once"
        assert again.json()["detail"].startswith("此请求已处理：令牌只显示一次")
        assert again.json()["token_id"] == first.json()["token_id"]
        assert first.json()["token"] not in again.text
        assert await _tokens_named(sql, sent["name"]) == 1

    async def test_the_key_keeps_no_copy_of_the_token(self, volunteers, sql):
        key = {"Idempotency-Key": f"account-{uuid4()}"}
        first = await volunteers.post("/accounts", json=_request(), headers=key)
        assert first.status_code == 201, first.text

        kept = await sql("SELECT body FROM auth.idempotency_keys WHERE body IS NOT NULL")

        token = first.json()["token"].encode()
        assert not [r for r in kept if token in bytes(r["body"])]

    async def test_concurrent_sends_with_one_key_make_one_token(self, volunteers, sql):
        sent, key = _request(), {"Idempotency-Key": f"account-{uuid4()}"}

        answers = await asyncio.gather(
            *(volunteers.post("/accounts", json=sent, headers=key) for _ in range(5))
        )

        made = [a for a in answers if a.status_code == 201]
        assert len(made) == 1, [a.text for a in answers]
        assert {a.status_code for a in answers} == {201, 409}
        assert sum("token" in a.json() for a in answers) == 1
        assert await _tokens_named(sql, sent["name"]) == 1

    async def test_another_key_makes_another_account(self, volunteers, sql):
        sent = _request()
        for n in range(2):
            answer = await volunteers.post(
                "/accounts", json=sent, headers={"Idempotency-Key": f"account-{n}-{uuid4()}"}
            )
            assert answer.status_code == 201, answer.text
        assert await _tokens_named(sql, sent["name"]) == 2

    async def test_a_refused_create_frees_its_key(self, volunteers, sql):
        key = {"Idempotency-Key": f"account-{uuid4()}"}
        refused = await volunteers.post(
            "/accounts", json={"role": "volunteer", "name": "李明"}, headers=key
        )
        assert refused.status_code == 422, refused.text
        rows = await sql(
            "SELECT count(*) FROM auth.idempotency_keys WHERE key = $1", key["Idempotency-Key"]
        )
        assert rows[0][0] == 0


class TestAnswerLost:
    async def test_a_create_that_failed_after_its_token_was_made_is_not_made_again(
        self, volunteers, sql, monkeypatch
    ):
        def unlisted(*_args):
            raise RuntimeError("the list failed after the token was made")

        sent, key = _request(), {"Idempotency-Key": f"account-{uuid4()}"}
        monkeypatch.setattr(accounts, "accounts", unlisted)
        failed = await volunteers.post("/accounts", json=sent, headers=key)
        assert failed.status_code == 500, failed.text  # answered, its token never shown
        assert "wst_" not in failed.text
        monkeypatch.undo()

        again = await volunteers.post("/accounts", json=sent, headers=key)

        assert again.status_code == 409, again.text
        assert again.json()["rule"] == "token_shown_once"
        [made] = await sql("SELECT token_id FROM auth.tokens WHERE name = $1", sent["name"])
        assert again.json()["token_id"] == str(made["token_id"])

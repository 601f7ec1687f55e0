"""`Idempotency-Key`: a create sent twice (a double click, a retry after a lost answer) is
done once, against the real PostgreSQL."""

import asyncio
import hashlib
import hmac
import json

from wushe_service import idempotency
from wushe_service.auth import Role
from wushe_service.idempotency import SETTLE_AFTER_SECONDS

BODY = {
    "community_id": "fengshan",
    "groups": ["elderly_alone"],
    "birth_year": 1944,
    "name": "王大妈",
    "not_a_duplicate": True,  # one body sent for several residents: keys, not people, here
}


async def test_a_create_retried_with_its_key_is_done_once(needs, community, count_events):
    await community()
    before = await count_events()
    headers = {"Idempotency-Key": "form-7f3a-1"}
    first = await needs.post("/residents", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    again = await needs.post("/residents", json=BODY, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_events() == before + 1
    other = await needs.post("/residents", json=BODY, headers={"Idempotency-Key": "form-7f3a-2"})
    assert other.json()["resident_id"] != first.json()["resident_id"]


async def test_concurrent_sends_of_one_key_create_one(needs, community, count_events):
    await community()
    before = await count_events()
    headers = {"Idempotency-Key": "double-click"}
    answers = await asyncio.gather(
        *(needs.post("/residents", json=BODY, headers=headers) for _ in range(5))
    )
    created = {a.json()["resident_id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert {a.status_code for a in answers} <= {201, 409}
    busy = [a.json() for a in answers if a.status_code == 409]
    assert all(b["rule"] == "idempotency_key_in_use" for b in busy)
    assert await count_events() == before + 1


async def test_a_key_used_for_another_request_is_a_422(needs, community, count_events):
    await community()
    headers = {"Idempotency-Key": "reused"}
    assert (await needs.post("/residents", json=BODY, headers=headers)).status_code == 201
    before = await count_events()
    changed = await needs.post("/residents", json={**BODY, "birth_year": 1950}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "header.Idempotency-Key"
    bad = await needs.post("/residents", json=BODY, headers={"Idempotency-Key": "has a space"})
    assert bad.status_code == 422
    assert await count_events() == before


async def test_a_refused_request_leaves_its_key_free_and_keys_are_per_token(
    needs, community, token_for
):
    headers = {"Idempotency-Key": "k-1"}
    refused = await needs.post("/residents", json=BODY, headers=headers)  # no community yet
    assert refused.status_code == 422
    await community()
    assert (await needs.post("/residents", json=BODY, headers=headers)).status_code == 201
    other = {**(await token_for(Role.social_worker)), **headers}
    theirs = await needs.post("/residents", json=BODY, headers=other)
    assert theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers


async def test_an_unknown_token_is_refused_by_the_route_and_old_keys_go(needs, community, sql):
    await community()
    headers = {"Idempotency-Key": "k-2", "Authorization": "Bearer not-a-token"}
    assert (await needs.post("/residents", json=BODY, headers=headers)).status_code == 401
    await sql(
        """INSERT INTO auth.idempotency_keys (token_hash, service, key, request_hash, created_at)
           VALUES ('\\x00', 'needs', 'ancient', '\\x00', now() - interval '25 hours')"""
    )
    fresh = await needs.post("/residents", json=BODY, headers={"Idempotency-Key": "k-3"})
    assert fresh.status_code == 201
    assert await sql("SELECT key FROM auth.idempotency_keys WHERE key = 'ancient'") == []


async def test_the_request_kept_cannot_be_tested_against_guesses(needs, community, sql):
    """A body may hold a name and an ID number: what is kept of it is keyed by the token,
    which is stored nowhere, not a plain hash anyone holding the table could try guesses on."""
    await community()
    body = json.dumps({**BODY, "birth_year": 1949, "id_number": "11010519491231002X"}).encode()
    headers = {"Idempotency-Key": "k-4", "Content-Type": "application/json"}
    assert (await needs.post("/residents", content=body, headers=headers)).status_code == 201
    [kept] = await sql("SELECT request_hash FROM auth.idempotency_keys WHERE key = 'k-4'")
    assert bytes(kept[0]) != hashlib.sha256(b"/residents\n\n" + body).digest()
    assert len(bytes(kept[0])) == 32


async def _as_if_its_request_died(sql, key: str, *, before_committing: bool) -> None:
    """The key's first request died with its process, a while ago, without answering: after
    its commit, or before it (then nothing it appended comes after the key was taken)."""
    await sql(
        f"""UPDATE auth.idempotency_keys
            SET status = NULL, content_type = NULL, body = NULL,
                created_at = now() - interval '{SETTLE_AFTER_SECONDS + 5} seconds'
                {
            ", after_position = (SELECT max(global_position) FROM needs.events)"
            if before_committing
            else ""
        }
            WHERE key = $1""",
        key,
    )


async def test_a_key_whose_request_died_after_its_commit_answers_what_it_did(
    needs, community, count_events, sql
):
    await community()
    headers = {"Idempotency-Key": "died-after"}
    first = await needs.post("/residents", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    before = await count_events()
    await _as_if_its_request_died(sql, "died-after", before_committing=False)
    for _ in range(2):  # and so again, from then on
        again = await needs.post("/residents", json=BODY, headers=headers)
        assert again.status_code == 409, again.text
        assert again.json()["rule"] == "idempotency_key_done"
        assert again.json()["id"] == first.json()["resident_id"]
        assert first.json()["resident_id"] in again.json()["detail"]
    assert await count_events() == before


async def test_a_key_whose_request_died_before_its_commit_is_done_anew(
    needs, community, count_events, sql
):
    await community()
    headers = {"Idempotency-Key": "died-before"}
    assert (await needs.post("/residents", json=BODY, headers=headers)).status_code == 201
    await _as_if_its_request_died(sql, "died-before", before_committing=True)
    under_way = await sql(
        "UPDATE auth.idempotency_keys SET created_at = now() WHERE key = 'died-before' RETURNING 1"
    )
    assert under_way  # while it may still be running, the key is not looked into
    assert (await needs.post("/residents", json=BODY, headers=headers)).status_code == 409
    await _as_if_its_request_died(sql, "died-before", before_committing=True)
    before = await count_events()
    again = await needs.post("/residents", json=BODY, headers=headers)
    assert again.status_code == 201, again.text
    assert "idempotent-replayed" not in again.headers
    assert await count_events() == before + 1
    replayed = await needs.post("/residents", json=BODY, headers=headers)
    assert replayed.json() == again.json()


async def test_a_keyed_request_that_hangs_is_undone_and_its_key_freed(
    needs, community, count_events, sql, monkeypatch
):
    await community()
    before = await count_events()
    monkeypatch.setattr(idempotency, "UNDER_WAY_SECONDS", 0)
    hung = await needs.post("/residents", json=BODY, headers={"Idempotency-Key": "hung"})
    assert hung.status_code == 503
    assert hung.json()["rule"] == "request_timed_out"
    assert await count_events() == before
    assert await sql("SELECT key FROM auth.idempotency_keys WHERE key = 'hung'") == []


async def test_the_same_json_in_another_order_or_layout_is_the_same_request(needs, count_events):
    sent = [
        b'{"community_id": "lanjiang", "name": "\xe5\x85\xb0\xe6\xb1\x9f", "street": "S"}',
        b'{\n  "street": "S",\n  "name": "\xe5\x85\xb0\xe6\xb1\x9f",\n'
        b'  "community_id": "lanjiang"\n}',
    ]
    headers = {"Idempotency-Key": "reordered", "Content-Type": "application/json"}
    first = await needs.post("/communities", content=sent[0], headers=headers)
    assert first.status_code == 201, first.text
    before = await count_events()
    again = await needs.post("/communities", content=sent[1], headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    other = sent[1].replace(b'"S"', b'"T"')
    changed = await needs.post("/communities", content=other, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert await count_events() == before


async def test_a_key_kept_before_the_canonical_comparison_still_replays_its_bytes(needs, sql):
    """Keys taken by an earlier version hold the hash of the bytes sent (for a day at most)."""
    body = b'{"street": "S", "name": "N", "community_id": "lanjiang"}'
    headers = {"Idempotency-Key": "older", "Content-Type": "application/json"}
    first = await needs.post("/communities", content=body, headers=headers)
    assert first.status_code == 201, first.text
    secret = needs.headers["authorization"].removeprefix("Bearer ").encode()
    as_kept = hmac.digest(secret, b"/communities\n\n" + body, "sha256")
    await sql("UPDATE auth.idempotency_keys SET request_hash = $1 WHERE key = 'older'", as_kept)
    again = await needs.post("/communities", content=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"


async def test_an_action_answered_200_leaves_its_key_free_not_settled_as_lost(
    needs, community, known_volunteer, wish_body, sql
):
    await community()
    wish = await needs.post("/wishes", json=wish_body())
    volunteer = await known_volunteer()
    headers = {"Idempotency-Key": "claim-1"}
    for _ in range(2):  # the second: the same claimant's claim again, answered, not a 409
        claimed = await needs.post(
            f"/wishes/{wish.json()['wish_id']}/claim",
            json={"claimant_id": volunteer},
            headers=headers,
        )
        assert claimed.status_code == 200, claimed.text
    assert await sql("SELECT key FROM auth.idempotency_keys WHERE key = 'claim-1'") == []

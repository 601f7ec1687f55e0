"""Tokens against a running service: a revoked one is refused at once, not when its cache
entry ends."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.testing import wait_until
from wushe_service.auth import Role, Tokens, create_token, revoke_token


async def test_a_revoked_token_is_refused_at_once(needs, runtime, token_for):
    headers = await token_for(Role.social_worker)
    assert (await needs.get("/residents", headers=headers)).status_code == 200  # now cached
    secret = headers["Authorization"].removeprefix("Bearer ")
    principal = await Tokens(runtime.engine).principal(secret)
    assert principal is not None
    assert await revoke_token(runtime.engine, principal.token_id)

    async def refused():
        response = await needs.get("/residents", headers=headers)
        return response.status_code == 401 and response

    # Well within the cache's 30 seconds: the service heard of the revocation.
    response = await wait_until(refused, timeout=5, message="the revoked token refused")
    assert "revoked" in response.json()["detail"]


async def test_a_token_is_refused_from_the_moment_it_expires(needs, runtime):
    expires = datetime.now(UTC) + timedelta(seconds=2)
    secret = await create_token(
        runtime.engine, role=Role.viewer, name="两秒", office=runtime.office, expires_at=expires
    )
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await needs.get("/communities", headers=headers)).status_code == 200  # now cached

    async def refused():
        return (await needs.get("/communities", headers=headers)).status_code == 401

    await wait_until(refused, timeout=10, message="the expired token refused")
    assert datetime.now(UTC) >= expires


async def test_a_token_created_for_a_street_serves_that_street(runtime):
    secret = await create_token(
        runtime.engine,
        role=Role.social_worker,
        name="阳明社工站",
        office=runtime.office,
        street=" 阳明街道 ",
    )
    principal = await Tokens(runtime.engine).principal(secret)
    assert principal is not None
    assert principal.street == "阳明街道"


async def test_a_token_created_without_a_street_serves_the_whole_office(runtime):
    secret = await create_token(
        runtime.engine, role=Role.social_worker, name="县社工总站", office=runtime.office
    )
    principal = await Tokens(runtime.engine).principal(secret)
    assert principal is not None
    assert principal.street is None


async def test_a_blank_street_is_refused(runtime):
    with pytest.raises(ValueError, match="street"):
        await create_token(
            runtime.engine, role=Role.social_worker, name="x", office=runtime.office, street="  "
        )


async def test_a_token_says_who_it_is(needs, token_for):
    person = uuid4()
    headers = await token_for(Role.social_worker, "阳明社工站", person=person, street="阳明街道")

    me = await needs.get("/me", headers=headers)

    assert me.status_code == 200, me.text
    assert {k: me.json()[k] for k in ("name", "role", "person_id", "street")} == {
        "name": "阳明社工站",
        "role": "social_worker",
        "person_id": str(person),
        "street": "阳明街道",
    }
    assert (await needs.get("/me", headers={"Authorization": "Bearer nope"})).status_code == 401

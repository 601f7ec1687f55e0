"""The bootstrap admin (`WUSHE_ADMIN_TOKEN`): a revocation sticks across restarts of the
service — it may have leaked — while the service still starts and says what to do; a new
value bootstraps a new admin."""

from __future__ import annotations

from contextlib import asynccontextmanager

from wushe_service import auth
from wushe_service.runtime import Runtime
from wushe_service.settings import ServiceSettings

LEAKED = "wst_bootstrap-test-leaked-0123456789abcdef0123456789"
NEW = "wst_bootstrap-test-new-0123456789abcdef0123456789abc"


@asynccontextmanager
async def started(database_url, nats_url, office, admin_token):
    """A service's runtime started with these settings, as at each start of its process."""
    runtime = Runtime(
        "bootstrap",
        ServiceSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            admin_token=admin_token,
            log_format="console",
        ),
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_a_revoked_bootstrap_token_stays_revoked_when_the_service_starts_again(
    database_url, nats_url, office, capfd
):
    async with started(database_url, nats_url, office, LEAKED) as runtime:
        admin = await auth.Tokens(runtime.engine).principal(LEAKED)
        assert admin is not None
        assert admin.role is auth.Role.admin
        assert await auth.revoke_token(runtime.engine, admin.token_id)
    capfd.readouterr()

    async with started(database_url, nats_url, office, LEAKED) as runtime:
        assert await auth.Tokens(runtime.engine).principal(LEAKED) is None
        listed = {r["token_id"]: r for r in await auth.list_tokens(runtime.engine, office)}
        assert listed[admin.token_id]["revoked_at"] is not None
        assert await runtime.readiness() == {}, "the service started all the same"
    logged = capfd.readouterr().err
    assert "bootstrap_admin_token_revoked" in logged
    assert "Remove WUSHE_ADMIN_TOKEN" in logged
    assert LEAKED not in logged


async def test_a_new_bootstrap_token_works_beside_the_revoked_one(
    database_url, nats_url, office, capfd
):
    async with started(database_url, nats_url, office, LEAKED) as runtime:
        leaked = await auth.Tokens(runtime.engine).principal(LEAKED)
        assert leaked is not None
        assert await auth.revoke_token(runtime.engine, leaked.token_id)
    capfd.readouterr()

    async with started(database_url, nats_url, office, NEW) as runtime:
        tokens = auth.Tokens(runtime.engine)
        admin = await tokens.principal(NEW)
        assert admin is not None
        assert (admin.role, admin.office) == (auth.Role.admin, office)
        assert await tokens.principal(LEAKED) is None
    assert "bootstrap_admin_token_revoked" not in capfd.readouterr().err


async def test_a_live_bootstrap_token_is_kept_as_it_is_at_each_start(
    database_url, nats_url, office
):
    async with started(database_url, nats_url, office, LEAKED) as runtime:
        first = await auth.Tokens(runtime.engine).principal(LEAKED)
    async with started(database_url, nats_url, office, LEAKED) as runtime:
        again = await auth.Tokens(runtime.engine).principal(LEAKED)
        assert len(await auth.list_tokens(runtime.engine, office)) == 1
    assert first is not None
    assert again is not None
    assert again.token_id == first.token_id

"""`wushe up` keeps the office's admin token in its data folder: once an admin has revoked it,
the next run makes a new one rather than print one the services refuse for good."""

from __future__ import annotations

import asyncio
import json

from wushe_cli import tokens
from wushe_cli.up import renewed_if_revoked, secrets_of
from wushe_service import auth


async def test_a_revoked_admin_token_is_replaced_and_kept(database_url, office, tmp_path):
    secrets = secrets_of(tmp_path)
    kept = secrets["admin_token"]

    async def store_then_revoke(engine) -> None:
        token_id, _ = await auth.issue_token(
            engine, role=auth.Role.admin, name="bootstrap-admin", office=office, token=kept
        )
        assert await auth.revoke_token(engine, token_id)

    await tokens.with_tokens(database_url, store_then_revoke)

    assert await asyncio.to_thread(renewed_if_revoked, tmp_path, secrets, database_url)
    assert secrets["admin_token"] != kept
    assert json.loads((tmp_path / "secrets.json").read_text()) == secrets
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600
    # The new one is not stored yet (the services store it at start): nothing to renew again.
    assert not await asyncio.to_thread(renewed_if_revoked, tmp_path, secrets, database_url)


async def test_a_live_admin_token_is_kept(database_url, office, tmp_path):
    secrets = secrets_of(tmp_path)
    kept = dict(secrets)

    async def store(engine) -> None:
        await auth.create_token(
            engine,
            role=auth.Role.admin,
            name="bootstrap-admin",
            office=office,
            token=secrets["admin_token"],
        )

    await tokens.with_tokens(database_url, store)
    assert not await asyncio.to_thread(renewed_if_revoked, tmp_path, secrets, database_url)
    assert secrets == kept
    assert secrets_of(tmp_path) == kept

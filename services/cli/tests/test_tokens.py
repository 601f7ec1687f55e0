"""`wushe token create|list|revoke` as an operator runs them."""

import asyncio
import os
import subprocess
import sys
from uuid import uuid4

from wushe_events.database import create_engine
from wushe_service.auth import Role, Tokens


async def test_a_token_for_a_person_is_created_listed_and_revoked(database_url, office, tmp_path):
    env = {**os.environ, "WUSHE_OFFICE": office, "WUSHE_DATABASE_URL": database_url}

    async def wushe(*args: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "wushe_cli", "token", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    person = uuid4()
    created = await wushe(
        "create", "--role", "volunteer", "--name", "王志愿", "--person", str(person)
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(secret)
        assert principal is not None
        assert (principal.role, principal.person_id, principal.office) == (
            Role.volunteer,
            person,
            office,
        )

        listed = await wushe("list")
        assert listed.returncode == 0, listed.stderr
        assert str(principal.token_id) in listed.stdout
        assert f"person={person}" in listed.stdout
        assert secret not in listed.stdout

        assert (await wushe("revoke", str(principal.token_id))).returncode == 0
        assert await Tokens(engine).principal(secret) is None
        again = await wushe("revoke", str(principal.token_id))
        assert again.returncode == 1
        assert "no live token" in again.stdout
    finally:
        await engine.dispose()

"""`wushe token create|list|revoke` as an operator runs them."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from wushe_events.database import create_engine
from wushe_service.auth import Role, Tokens, create_token


@pytest.fixture
def wushe(database_url, office, tmp_path):
    """`wushe token …` as a process, configured for this test's office and database."""
    env = {**os.environ, "WUSHE_OFFICE": office, "WUSHE_DATABASE_URL": database_url}

    async def run(*args: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "wushe_cli", "token", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


async def test_a_token_is_created_listed_and_revoked(database_url, office, wushe):
    """(A token for a person, and the rules of one: test_token_rules.py.)"""
    created = await wushe("create", "--role", "viewer", "--name", "市民政局")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(secret)
        assert principal is not None
        assert (principal.role, principal.person_id, principal.office) == (
            Role.viewer,
            None,
            office,
        )

        listed = await wushe("list")
        assert listed.returncode == 0, listed.stderr
        assert str(principal.token_id) in listed.stdout
        assert "市民政局" in listed.stdout
        assert secret not in listed.stdout

        assert (await wushe("revoke", str(principal.token_id))).returncode == 0
        assert await Tokens(engine).principal(secret) is None
        again = await wushe("revoke", str(principal.token_id))
        assert again.returncode == 1
        assert "no live token" in again.stdout
    finally:
        await engine.dispose()


async def test_a_token_with_a_lifetime_is_refused_once_it_ends(database_url, office, wushe):
    created = await wushe("create", "--role", "viewer", "--name", "市民政局", "--days", "30")
    assert created.returncode == 0, created.stderr
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(created.stdout.strip())
        assert principal is not None
        async with engine.begin() as connection:
            expires = await connection.scalar(
                text("SELECT expires_at - now() FROM auth.tokens WHERE token_id = :id"),
                {"id": principal.token_id},
            )
        assert timedelta(days=29) < expires <= timedelta(days=30)

        ended = await create_token(
            engine,
            role=Role.viewer,
            name="last year's",
            office=office,
            expires_at=datetime.now(UTC) - timedelta(seconds=1),
        )
        assert await Tokens(engine).principal(ended) is None
    finally:
        await engine.dispose()


async def test_beside_an_office_with_its_own_data_folder_the_commands_find_its_database(
    database_url, office, tmp_path
):
    """`wushe up --data-dir .wushe-yuyao` leaves office.env there; WUSHE_DATA_DIR finds it."""
    folder = tmp_path / ".wushe-yuyao"
    folder.mkdir()
    (folder / "office.env").write_text(
        f"WUSHE_OFFICE={office}\nWUSHE_DATABASE_URL={database_url}\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("WUSHE_OFFICE", "WUSHE_DATABASE_URL")}
    env["WUSHE_DATA_DIR"] = str(folder)
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "wushe_cli", "token", "create", "--role", "viewer", "--name", "x"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(done.stdout.strip())
        assert principal is not None
        assert principal.office == office
    finally:
        await engine.dispose()


async def test_a_token_for_a_street_carries_it_and_lists_it(database_url, office, wushe):
    """A street no community is on yet only with `--new-street` (test_token_rules.py)."""
    created = await wushe(
        "create",
        "--role",
        "social_worker",
        "--name",
        "阳明社工站",
        "--street",
        "阳明街道",
        "--new-street",
    )
    assert created.returncode == 0, created.stderr
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(created.stdout.strip())
        assert principal is not None
        assert (principal.role, principal.street) == (Role.social_worker, "阳明街道")
        listed = await wushe("list")
        line = next(li for li in listed.stdout.splitlines() if str(principal.token_id) in li)
        assert "阳明街道" in line
    finally:
        await engine.dispose()


async def test_a_blank_street_is_refused_and_no_token_made(database_url, office, wushe):
    refused = await wushe("create", "--role", "social_worker", "--name", "x", "--street", " ")
    assert refused.returncode != 0
    assert "--street" in refused.stderr
    assert "wst_" not in refused.stdout

"""`wushe token create|list|revoke` as an operator runs them."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import text

from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_needs.main import MIGRATIONS as NEEDS
from wushe_service.auth import Role, Tokens, create_token
from wushe_service.personal_data import MIGRATIONS as PERSONAL_DATA


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


async def test_a_token_for_a_person_is_created_listed_and_revoked(database_url, office, wushe):
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
    created = await wushe(
        "create", "--role", "social_worker", "--name", "阳明社工站", "--street", "阳明街道"
    )
    assert created.returncode == 0, created.stderr
    engine = create_engine(database_url, "auth")
    try:
        principal = await Tokens(engine).principal(created.stdout.strip())
        assert principal is not None
        assert (principal.role, principal.street) == (Role.social_worker, "阳明街道")
        listed = await wushe("list")
        assert "street=阳明街道" in listed.stdout
    finally:
        await engine.dispose()


async def test_a_blank_street_is_refused_and_no_token_made(database_url, office, wushe):
    refused = await wushe("create", "--role", "social_worker", "--name", "x", "--street", " ")
    assert refused.returncode != 0
    assert "--street" in refused.stderr
    assert "wst_" not in refused.stdout


async def test_a_street_no_community_is_on_is_warned_of_and_the_token_made(
    database_url, office, wushe
):
    engine = create_engine(database_url, "needs")
    try:
        await upgrade(engine, "needs", [PERSONAL_DATA, NEEDS])
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO communities VALUES ('fengshan', '丰山社区', '阳明街道', now())")
            )
    finally:
        await engine.dispose()

    typo = await wushe("create", "--role", "social_worker", "--name", "x", "--street", "阳明街")
    assert typo.returncode == 0, typo.stderr
    assert typo.stdout.startswith("wst_")
    assert "no community of the needs service is on 阳明街" in typo.stderr
    assert "Streets known: 阳明街道" in typo.stderr
    known = await wushe("create", "--role", "social_worker", "--name", "y", "--street", "阳明街道")
    assert known.returncode == 0, known.stderr
    assert "warning" not in known.stderr

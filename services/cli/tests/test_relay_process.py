"""`wushe relay` as the process compose and `wushe up` run."""

import os
import signal
import subprocess
import sys
import time

import pytest


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_relay_stops_cleanly_on_sigterm_and_ctrl_c(nats_url, postgres_url, tmp_path, stop):
    log = tmp_path / "relay.log"
    env = {
        **os.environ,
        "WUSHE_OFFICE": "relaytest",
        "WUSHE_NATS_URL": nats_url,
        "WUSHE_DATABASE_URL": postgres_url,
        "WUSHE_RELAY_SCHEMAS": "needs",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "wushe_cli", "relay"],
        env=env,
        cwd=tmp_path,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while "relay_started" not in log.read_text() and time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    assert "relay_started" in log.read_text(), log.read_text()
    process.send_signal(stop)
    assert process.wait(10) == 0, log.read_text()


def test_the_relay_refuses_to_start_without_an_office(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "WUSHE_OFFICE"}
    done = subprocess.run(
        [sys.executable, "-m", "wushe_cli", "relay"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "WUSHE_OFFICE: Field required" in done.stderr

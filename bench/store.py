"""1. Event store appends beside raw asyncpg inserts of the same rows, in the same run.

Store: `async with store.transaction() as tx: await tx.append(0, [event])`: one catalogue event
per transaction, a new stream each time. Raw: `BEGIN; INSERT … VALUES (…); COMMIT` of the same
columns into an `events` table migrated exactly like the store's (same indexes and triggers),
through an asyncpg pool of as many connections as writers. The raw pool is told not to reset
connections on release (asyncpg's default sends one more statement per acquire), so that the raw
side is exactly BEGIN/INSERT/COMMIT: the floor the store is compared with.

Each run measures store and raw back to back, for 1 and for 16 writers; the order alternates
from run to run. Both tables are truncated and a CHECKPOINT is taken before each measurement.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
import orjson

from bench import cpu, workload
from bench.servers import Servers, fresh_database
from bench.stats import CpuShares, Figures, p50_p99_ms
from wushe_events.catalogue import Event
from wushe_events.database import create_engine, create_pool
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore

RAW_INSERT = """INSERT INTO events (event_id, office, aggregate, aggregate_id, version, event_type,
                    data, occurred_at, correlation_id, causation_id)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)"""

SERVER_SETTINGS = {"idle_in_transaction_session_timeout": "60000"}  # as create_engine sets


@dataclass(frozen=True)
class Sizes:
    single: int = 5_000  # appends per measurement with 1 writer
    concurrent: int = 20_000  # … with `writers` writers
    writers: int = 16


async def timed(
    append: Callable[[int], Awaitable[None]], n: int, writers: int
) -> tuple[float, list[float]]:
    """(appends/s, per-append latencies in s) for n appends shared by `writers` tasks."""
    counter = itertools.count()
    latencies: list[float] = []

    async def writer() -> None:
        while (i := next(counter)) < n:
            started = time.perf_counter()
            await append(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(writers)))
    return n / (time.perf_counter() - started), latencies


def store_append(store: EventStore, events: Sequence[Event]) -> Callable[[int], Awaitable[None]]:
    async def append(i: int) -> None:
        async with store.transaction() as tx:
            await tx.append(0, [events[i]])

    return append


def raw_insert(
    pool: asyncpg.Pool, office: str, payloads: Sequence[dict[str, Any]]
) -> Callable[[int], Awaitable[None]]:
    async def append(i: int) -> None:
        payload = payloads[i]
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(
                RAW_INSERT,
                uuid4(),
                office,
                "survey",
                payload["survey_id"],
                1,
                workload.EVENT_TYPE,
                orjson.dumps(payload).decode(),
                datetime.now(UTC),
                None,
                None,
            )

    return append


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """Release without asyncpg's reset statement (nothing here changes session state)."""


async def _migrate(url: str, schema: str) -> None:
    engine = create_engine(url, schema, application="wushe-bench-migrate", pool_size=1)
    try:
        await upgrade(engine, schema)
    finally:
        await engine.dispose()


async def _reset(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("TRUNCATE store.events, raw.events")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()


class Sides:
    """The store and the raw pool for one number of writers, kept open across runs."""

    def __init__(self, url: str, office: str, writers: int) -> None:
        self.url, self.office, self.writers = url, office, writers
        self.store_pool: asyncpg.Pool | None = None
        self.pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        self.store_pool = await create_pool(
            self.url, "store", application="wushe-bench-store", size=self.writers
        )
        self.pool = await asyncpg.create_pool(
            self.url,
            min_size=self.writers,
            max_size=self.writers,
            reset=_keep_session,
            server_settings={
                "search_path": "raw",
                "application_name": "wushe-bench-raw",
                **SERVER_SETTINGS,
            },
        )

    async def close(self) -> None:
        if self.pool:
            await self.pool.close()
        if self.store_pool:
            await self.store_pool.close()

    async def measure(
        self, side: str, n: int, probe: cpu.CpuProbe
    ) -> tuple[float, list[float], dict[str, float]]:
        """(appends/s, latencies in s, CPU shares) of n appends on one side."""
        assert self.store_pool is not None
        assert self.pool is not None
        events = [workload.survey() for _ in range(n)]
        if side == "store":
            append = store_append(EventStore(self.store_pool, self.office), events)
        else:
            append = raw_insert(self.pool, self.office, [e.payload() for e in events])
        await _reset(self.url)
        start = probe.sample()
        rate, latencies = await timed(append, n, self.writers)
        return rate, latencies, probe.since(start)


def record(
    figures: Figures,
    cpu_shares: CpuShares,
    writers: int,
    measurements: dict[str, tuple[float, list[float], dict[str, float]]],
) -> None:
    plural = "s" if writers > 1 else ""
    for side in ("store", "raw"):
        rate, latencies, shares = measurements[side]
        name = f"{side}, {writers} writer{plural}"
        p50, p99 = p50_p99_ms(latencies)
        figures.add(name, "appends/s", rate)
        figures.add(f"{name}: latency p50", "ms", p50)
        figures.add(f"{name}: latency p99", "ms", p99)
        cpu_shares.add(name, shares)
    ratio = measurements["store"][0] / measurements["raw"][0]
    figures.add(f"ratio store/raw, {writers} writer{plural}", "×", ratio)


async def run(
    servers: Servers,
    sizes: Sizes,
    runs: int,
    warmups: int,
    progress: Callable[[str], None],
) -> tuple[Figures, CpuShares]:
    figures = Figures(
        "1. Event store append vs raw asyncpg insert "
        f"(1 event per transaction, new stream, {workload.payload_bytes()}-byte "
        f"{workload.EVENT_TYPE})",
        [
            f"N = {sizes.single:,} appends with 1 writer, {sizes.concurrent:,} with "
            f"{sizes.writers} writers, per side and run",
            "ratio = store/raw within each run (paired), then median/min/max over runs",
        ],
    )
    probe = cpu.CpuProbe({"bench": cpu.these(os.getpid()), "postgres": servers.postgres_pids()})
    cpu_shares = CpuShares(figures.title)
    office = "b" + secrets.token_hex(5)  # no stream needed: nothing is published here
    async with fresh_database(servers) as url:
        await _migrate(url, "store")
        await _migrate(url, "raw")
        cases = [(1, sizes.single), (sizes.writers, sizes.concurrent)]
        sides = [Sides(url, office, writers) for writers, _n in cases]
        for s in sides:
            await s.open()
        try:
            for i in range(warmups + runs):
                measured = i >= warmups
                order = ("store", "raw") if i % 2 == 0 else ("raw", "store")
                label = f"run {i - warmups + 1}/{runs}" if measured else "warm-up"
                for s, (writers, n) in zip(sides, cases, strict=True):
                    measurements = {}
                    for side in order:
                        progress(f"store: {label}, {writers} writer(s), {side} …")
                        measurements[side] = await s.measure(side, n, probe)
                    if measured:
                        record(figures, cpu_shares, writers, measurements)
        finally:
            for s in sides:
                await s.close()
    return figures, cpu_shares

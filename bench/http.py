"""3. From an HTTP command to its projection: POST /communities until the overview counts it.

The needs and reporting services and the relay run as processes, started the way `wushe up`
starts them (`python -m wushe_cli serve needs`, …, with WUSHE_* variables). Commands go one at a
time with the admin token; after each response, this process polls the reporting read model
(the office's rows of `reporting.communities`, one asyncpg query per POLL seconds) until the count
moves. Latency is from sending the request to the first poll that sees the new count. A plain
NATS subscription on the office's needs subjects notes when the relay published each event,
which splits that time into the command, the relay and the reporting consumer.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Callable

import asyncpg
import httpx
from nats.aio.client import Client
from nats.aio.msg import Msg

from bench import cpu, workload
from bench.processes import Child, stop_all, wait_ready, wushe
from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import CpuShares, Figures, p50_p99_ms
from wushe_embedded import free_port
from wushe_events.jetstream import connect
from wushe_service.auth import new_token
from wushe_service.personal_data import new_office_key

POLL = 0.001  # seconds between read-model queries: ~1 ms resolution, without hogging a core
PRIMING = 5  # unmeasured commands first: a fresh service's first command is slow (~100 ms)
TIMEOUT = 30.0
COUNT = "SELECT count(*) FROM reporting.communities WHERE office = $1 AND name IS NOT NULL"


class Published:
    """When this process received each event the relay published (a core NATS subscription)."""

    def __init__(self) -> None:
        self.at: list[float] = []

    async def received(self, _message: Msg) -> None:
        self.at.append(time.perf_counter())

    async def nth(self, index: int, timeout: float = 5.0) -> float:  # noqa: ASYNC109
        deadline = time.perf_counter() + timeout
        while len(self.at) <= index:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"event {index} was never seen on NATS")
            await asyncio.sleep(POLL)
        return self.at[index]


async def one_run(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    published: Published,
    office: str,
    run: int,
    commands: int,
    children: list[Child],
) -> dict[str, float]:
    count = await db.fetchval(COUNT, office)
    posted: list[float] = []
    relayed: list[float] = []
    projected: list[float] = []
    visible: list[float] = []
    started_run = time.perf_counter()
    for n in range(commands):
        body = {
            "community_id": f"r{run + 1}-c{n}-{secrets.token_hex(3)}",
            "name": workload.community_name(n),
            "street": "阳明街道",
        }
        index = len(published.at)
        started = time.perf_counter()
        response = await client.post("/communities", json=body)
        answered = time.perf_counter()
        if response.status_code != 201:
            raise RuntimeError(f"POST /communities: {response.status_code} {response.text}")
        while (now_count := await db.fetchval(COUNT, office)) <= count:
            if time.perf_counter() - started > TIMEOUT:
                for child in children:
                    child.check_alive()
                raise TimeoutError(f"community {body['community_id']} never reached the overview")
            await asyncio.sleep(POLL)
        seen = time.perf_counter()
        count = now_count
        relayed_at = await published.nth(index)
        posted.append(answered - started)
        relayed.append(relayed_at - answered)
        projected.append(seen - relayed_at)
        visible.append(seen - started)
    result = {"rate": commands / (time.perf_counter() - started_run)}
    for name, values in [
        ("visible", visible),
        ("post", posted),
        ("relay", relayed),
        ("projection", projected),
    ]:
        result[f"{name} p50"], result[f"{name} p99"] = p50_p99_ms(values)
    return result


FIGURES = [
    ("visible p50", "POST /communities → overview counts it: p50", "ms"),
    ("visible p99", "POST /communities → overview counts it: p99", "ms"),
    ("post p50", "  POST → 201 response (needs service): p50", "ms"),
    ("post p99", "  POST → 201 response (needs service): p99", "ms"),
    ("relay p50", "  201 → event seen on NATS (relay; < 0: before the 201): p50", "ms"),
    ("relay p99", "  201 → event seen on NATS (relay; < 0: before the 201): p99", "ms"),
    ("projection p50", "  on NATS → overview counts it (reporting): p50", "ms"),
    ("projection p99", "  on NATS → overview counts it (reporting): p99", "ms"),
    ("rate", "commands, one at a time, each waited until visible", "commands/s"),
]


async def run(
    servers: Servers,
    commands: int,
    runs: int,
    warmups: int,
    progress: Callable[[str], None],
) -> tuple[Figures, CpuShares]:
    figures = Figures(
        "3. HTTP command → projection: needs service, relay and reporting service as processes",
        [
            f"{commands} commands per run, one at a time; read model polled every "
            f"{POLL * 1000:.0f} ms"
        ],
    )
    shares = CpuShares(figures.title)
    folder = servers.folder / "http"
    folder.mkdir()
    token = new_token()
    async with fresh_database(servers) as url, fresh_office(servers) as office:
        env = {
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": servers.nats_url,
            "WUSHE_DATABASE_URL": url,
        }
        service_env = {
            **env,
            "WUSHE_ADMIN_TOKEN": token,
            "WUSHE_OFFICE_KEY": new_office_key(),
            "WUSHE_HOST": "127.0.0.1",
        }
        ports = {"needs": free_port(), "reporting": free_port()}
        children = [
            wushe(name, ["serve", name], {**service_env, "WUSHE_PORT": str(port)}, folder)
            for name, port in ports.items()
        ]
        children.append(wushe("relay", ["relay"], {**env, "WUSHE_RELAY_SCHEMAS": "needs"}, folder))
        db: asyncpg.Connection | None = None
        nats: Client | None = None
        try:
            progress("http: starting the needs and reporting services and the relay …")
            for child in children[:2]:
                await wait_ready(child, f"http://127.0.0.1:{ports[child.name]}")
            await children[2].wait_for_log("relay_leading")
            db = await asyncpg.connect(url)
            nats = await connect(servers.nats_url, "wushe-bench-http")
            published = Published()
            await nats.subscribe(f"wushe.{office}.needs.>", cb=published.received)
            probe = cpu.CpuProbe(
                {
                    "bench": cpu.these(os.getpid()),
                    **{child.name: cpu.these(child.pid) for child in children},
                    "postgres": servers.postgres_pids(),
                    "nats": servers.nats_pids(),
                }
            )
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{ports['needs']}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
            ) as client:
                await one_run(client, db, published, office, -1, PRIMING, children)
                for i in range(warmups + runs):
                    measured = i >= warmups
                    label = f"run {i - warmups + 1}/{runs}" if measured else "warm-up"
                    progress(f"http: {label}, {commands} commands …")
                    start = probe.sample()
                    result = await one_run(client, db, published, office, i, commands, children)
                    window = probe.since(start)
                    if measured:
                        for key, name, unit in FIGURES:
                            figures.add(name, unit, result[key])
                        shares.add("http", window)
        finally:
            if nats is not None:
                await nats.close()
            if db is not None:
                await db.close()
            stop_all(children)
    return figures, shares

"""5. The figures withheld for the public beside the exact ones, for an office of many communities.

Without a token, the reporting service rounds the counts about residents and withholds the
small ones. (Until it rounded every count, an office's tables were rounded only when one of its
communities' had a small count, and to know it looked at every community's counts: this office
was that check's worst case.) An office of COMMUNITIES communities of RESIDENTS residents each
(surveyed, with a need and a consent each: no small count) and, last in order, one of a single
resident is published to a fresh stream; the reporting service runs as a process (`wushe
serve reporting`, WUSHE_PUBLIC_MIN_COUNT=3) and projects it, and its tables are analysed. Each
run asks REQUESTS times, one at a time, for `/api/figures?office=…` and `/api/overview` without
a token and with an admin's (exact figures), alternating which goes first from run to run; a
run's figure is the median of its requests, and the ratio withheld / exact is taken within the
run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import httpx

from bench import cpu
from bench.processes import Child, stop_all, wait_ready, wushe
from bench.rebuild import LEVELS, publish
from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import CpuShares, Figures
from wushe_embedded import free_port
from wushe_events.catalogue import Event
from wushe_events.catalogue import needs as n
from wushe_events.envelope import Envelope
from wushe_events.jetstream import connect
from wushe_reporting.bus import CONSUMER
from wushe_service.auth import new_token

COMMUNITIES = 200
RESIDENTS = 4  # per community: no count of 1 or 2, but the last community's
STREETS = 10
REQUESTS = 5  # per kind and run
LEAST = 3
TIMEOUT = 120.0
POSITION = "SELECT last_seq FROM reporting.consumer_positions WHERE consumer = $1"
KINDS = {
    "figures": lambda office: f"/api/figures?office={office}",
    "overview": lambda _office: "/api/overview",
}


def history(office: str, communities: int = COMMUNITIES) -> list[Envelope]:
    """`communities` communities over STREETS streets, RESIDENTS residents in each but the last
    (one): each resident surveyed once, with one open need and consent to personal data."""
    now = datetime.now(UTC)
    out: list[Envelope] = []

    def add(event: Event) -> None:
        out.append(
            Envelope(
                id=uuid4(),
                source=f"/offices/{office}/needs",
                type=event.type,
                subject=f"{event.aggregate}/{event.aggregate_id}",
                time=now,
                data=event.payload(),
                office=office,
                streamversion=1,  # each event the first of its own stream: none is skipped
            )
        )

    for c in range(communities):
        community = f"c{c:04d}"
        street = f"街道{c % STREETS}"
        add(n.CommunityRegistered(community_id=community, name=f"社区{c}", street=street))
        for _ in range(1 if c == communities - 1 else RESIDENTS):
            resident, survey = uuid4(), uuid4()
            add(
                n.ResidentRegistered(
                    resident_id=resident, community_id=community, groups=["elderly"],
                    age_band="70_79",
                )
            )  # fmt: skip
            add(
                n.SurveyRecorded(
                    survey_id=survey, resident_id=resident, community_id=community,
                    method="home_visit", surveyed_at=now, dimensions=LEVELS,
                )
            )  # fmt: skip
            add(
                n.NeedIdentified(
                    need_id=uuid4(), community_id=community, resident_id=resident,
                    survey_id=survey, category="meal-delivery", dimension="material",
                    urgency="high",
                )
            )  # fmt: skip
            add(
                n.ConsentGranted(
                    resident_id=resident, community_id=community, purpose="personal_data",
                    given_by="self", given_at=now,
                )
            )  # fmt: skip
    return out


async def _median_ms(client: httpx.AsyncClient, path: str, token: str | None) -> float:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    took = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        took.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:500]}")
    return statistics.median(took) * 1000


async def _projected(db: asyncpg.Connection, count: int, child: Child) -> None:
    deadline = time.monotonic() + TIMEOUT
    while (await db.fetchval(POSITION, CONSUMER) or 0) < count:
        child.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"reporting did not project {count} events in {TIMEOUT}s")
        await asyncio.sleep(0.1)


async def run(
    servers: Servers,
    communities: int,
    runs: int,
    warmups: int,
    progress: Callable[[str], None],
) -> tuple[Figures, CpuShares]:
    figures = Figures(
        f"5. Figures withheld for the public vs exact: an office of {communities} communities",
        [
            f"each run: median of {REQUESTS} requests of each kind, one at a time; ratio ="
            " without a token / with an admin's token, within each run",
            f"{RESIDENTS} residents per community, the last one's 1 (WUSHE_PUBLIC_MIN_COUNT="
            f"{LEAST}): every community is looked at",
        ],
    )
    shares = CpuShares("CPU during the measured requests, % of one core (median over runs)")
    folder = servers.folder / "figures"
    folder.mkdir()
    token = new_token()
    async with fresh_database(servers) as url, fresh_office(servers) as office:
        events = history(office, communities)
        nats = await connect(servers.nats_url, "wushe-bench-figures")
        try:
            progress(f"figures: publishing {len(events):,} events …")
            await publish(nats.jetstream(), office, events)
        finally:
            await nats.close()
        port = free_port()
        env = {
            "WUSHE_OFFICE": office,
            "WUSHE_NATS_URL": servers.nats_url,
            "WUSHE_DATABASE_URL": url,
            "WUSHE_ADMIN_TOKEN": token,
            "WUSHE_HOST": "127.0.0.1",
            "WUSHE_PORT": str(port),
            "WUSHE_PUBLIC_MIN_COUNT": str(LEAST),
            "WUSHE_REPORTING_MONTH_CLOSE": "false",
        }
        child = wushe("reporting", ["serve", "reporting"], env, folder)
        db: asyncpg.Connection | None = None
        try:
            progress("figures: starting the reporting service, projecting …")
            await wait_ready(child, f"http://127.0.0.1:{port}")
            db = await asyncpg.connect(url)
            await _projected(db, len(events), child)
            # As autovacuum would have by then: without statistics on tables just filled, the
            # planner picks plans that an office running for a while never sees.
            await db.execute("ANALYZE")
            probe = cpu.CpuProbe(
                {
                    "bench": cpu.these(os.getpid()),
                    "reporting": cpu.these(child.pid),
                    "postgres": servers.postgres_pids(),
                }
            )
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT
            ) as client:
                for i in range(warmups + runs):
                    measured = i >= warmups
                    label = f"run {i - warmups + 1}/{runs}" if measured else "warm-up"
                    progress(f"figures: {label} …")
                    start = probe.sample()
                    result = await _one_run(client, office, token, withheld_first=i % 2 == 0)
                    window = probe.since(start)
                    if measured:
                        _record(figures, result)
                        shares.add("figures", window)
        finally:
            if db is not None:
                await db.close()
            stop_all([child])
    return figures, shares


async def _one_run(
    client: httpx.AsyncClient, office: str, token: str, *, withheld_first: bool
) -> dict[tuple[str, str], float]:
    result = {}
    for kind, path in KINDS.items():
        order = [("withheld", None), ("exact", token)]
        for side, given in order if withheld_first else reversed(order):
            result[kind, side] = await _median_ms(client, path(office), given)
    return result


def _record(figures: Figures, result: dict[tuple[str, str], float]) -> None:
    for kind, path in KINDS.items():
        shown = path("<office>")
        figures.add(f"GET {shown} without a token (withheld)", "ms", result[kind, "withheld"])
        figures.add(f"GET {shown} with a token (exact)", "ms", result[kind, "exact"])
        ratio = result[kind, "withheld"] / result[kind, "exact"]
        figures.add(f"ratio withheld / exact, {kind}", "×", ratio)

"""4. Rebuilding the reporting read models by replay, beside reading the stream alone.

N events of several types (residents, surveys, wishes) are published to a fresh office stream;
each run replays them with `wushe_reporting.rebuild.rebuild` (truncate, ordered consumer,
batches of 500 in a transaction each) and, as the baseline measured in the same run, drains the
same stream through an ordered consumer without projecting anything.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from nats.js.api import DeliverPolicy

from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import CpuShares, Figures
from wushe_events.catalogue import Event
from wushe_events.catalogue import needs as n
from wushe_events.database import create_engine, create_pool
from wushe_events.envelope import Envelope, headers
from wushe_events.jetstream import connect
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_events.subjects import event_subject, stream_name
from wushe_reporting.main import MIGRATIONS
from wushe_reporting.rebuild import rebuild

LEVELS = {"physical": 1, "psychological": 2, "material": 3, "spiritual": 0}


def history(office: str, count: int) -> list[Envelope]:
    """Residents, each surveyed once with a need, and a wish per tenth resident."""
    now = datetime.now(UTC)
    out: list[Envelope] = []

    def add(event: Event, version: int = 1) -> None:
        out.append(
            Envelope(
                id=uuid4(),
                source=f"/offices/{office}/needs",
                type=event.type,
                subject=f"{event.aggregate}/{event.aggregate_id}",
                time=now,
                data=event.payload(),
                office=office,
                streamversion=version,
            )
        )

    n_residents = 0
    while len(out) < count:
        resident = uuid4()
        community = f"c{n_residents % 40}"
        add(
            n.ResidentRegistered(
                resident_id=resident, community_id=community, groups=["elderly"], age_band="70_79"
            )
        )
        survey = uuid4()
        add(
            n.SurveyRecorded(
                survey_id=survey,
                resident_id=resident,
                community_id=community,
                method="home_visit",
                surveyed_at=now,
                dimensions=LEVELS,
            )
        )
        add(
            n.NeedIdentified(
                need_id=uuid4(),
                community_id=community,
                resident_id=resident,
                survey_id=survey,
                category="meal-delivery",
                dimension="material",
                urgency="high",
            )
        )
        if n_residents % 10 == 0:
            add(
                n.WishPosted(
                    wish_id=uuid4(),
                    community_id=community,
                    resident_id=resident,
                    category="daily-goods",
                    title="心愿",
                    estimated_value_fen=100,
                    deadline=now + timedelta(days=7),
                )
            )
        n_residents += 1
    return out[:count]


async def publish(js, office: str, envelopes: list[Envelope]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(envelopes), 256):
        await asyncio.gather(
            *(
                js.publish(
                    event_subject(office, e.type),
                    e.to_json(),
                    stream=stream_name(office),
                    headers=headers(e.id),
                )
                for e in envelopes[start : start + 256]
            )
        )


async def _drain(js, office: str, count: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds to read `count` messages through an ordered consumer, projecting nothing."""
    done = asyncio.Event()
    seen = 0

    async def take(_message) -> None:  # type: ignore[no-untyped-def]
        nonlocal seen
        seen += 1
        if seen == count:
            done.set()

    started = time.perf_counter()
    subscription = await js.subscribe(
        f"wushe.{office}.>",
        stream=stream_name(office),
        cb=take,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
    )
    await done.wait()
    seconds = time.perf_counter() - started
    await subscription.unsubscribe()
    return seconds


async def run(
    servers: Servers, events: int, runs: int, warmups: int, progress: Callable[[str], None]
) -> tuple[Figures, CpuShares]:
    figures = Figures(
        f"4. Reporting rebuild by replay ({events:,} events: residents, surveys, needs, wishes)",
        ["ratio = rebuild / reading the stream alone, within each run"],
    )
    shares = CpuShares("CPU during the measured window, % of one core (median over runs)")
    async with fresh_database(servers) as url, fresh_office(servers) as office:
        engine = create_engine(url, "reporting", pool_size=1)
        await upgrade(engine, "reporting", [MIGRATIONS])
        await engine.dispose()
        pool = await create_pool(url, "reporting", size=4)
        client = await connect(servers.nats_url, "wushe-bench-rebuild")
        js = client.jetstream()
        try:
            progress(f"rebuild: publishing {events:,} events …")
            await publish(js, office, history(office, events))
            store = EventStore(pool, office)
            for i in range(warmups + runs):
                label = f"run {i - warmups + 1}/{runs}" if i >= warmups else "warm-up"
                progress(f"rebuild: {label} …")
                read = _rate(events, await _drain(js, office, events))
                started = time.perf_counter()
                applied = await rebuild(
                    store,
                    js,
                    stream=stream_name(office),
                    subjects=f"wushe.{office}.>",
                    consumer="bench",
                )
                rebuilt = _rate(applied, time.perf_counter() - started)
                if i >= warmups:
                    figures.add("rebuild (truncate, replay, project)", "events/s", rebuilt)
                    figures.add("read the stream alone (ordered consumer)", "events/s", read)
                    figures.add("ratio rebuild / read", "×", rebuilt / read)
        finally:
            await client.close()
            await pool.close()
    return figures, shares


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("nan")

"""The pipeline benchmark's consumer, in a process of its own: `python -m bench.projector …`.

A `wushe_events.consumer.Consumer` whose handler upserts one row per event into `surveys` (in
its own schema, next to its tracking tables). Right after each batch's transaction commits, it
appends a line `<event id> <stored> <committed>` per event to `--out`: when JetStream stored the
event (the message's stream timestamp) and when its projection became visible (unix times).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

import asyncpg
from nats.aio.msg import Msg

from wushe_events import logging as wushe_logging
from wushe_events.consumer import Consumer, ConsumerSpec
from wushe_events.database import create_pool
from wushe_events.envelope import Envelope
from wushe_events.jetstream import connect
from wushe_events.store import EventStore, Transaction
from wushe_events.subjects import office_subjects, stream_name

CONSUMER = "bench-projection"

TABLE = """CREATE TABLE IF NOT EXISTS surveys (
    survey_id uuid PRIMARY KEY,
    community_id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    projected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    events int NOT NULL DEFAULT 1
)"""

UPSERT = """INSERT INTO surveys (survey_id, community_id, occurred_at) VALUES ($1, $2, $3)
ON CONFLICT (survey_id) DO UPDATE
SET events = surveys.events + 1, projected_at = clock_timestamp()"""


class StampingStore(EventStore):
    """An event store that notes when each consumer transaction has committed."""

    def __init__(self, pool: asyncpg.Pool, office: str, out: IO[str]) -> None:
        super().__init__(pool, office)
        self.out = out
        self.stored: dict[str, float] = {}  # event id → JetStream's timestamp
        self.applied: list[str] = []  # event ids applied in the open transaction

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        self.applied.clear()
        async with super().transaction() as tx:
            yield tx
        committed = time.time()  # from now on, every reader sees the projection
        lines = (f"{key} {self.stored.pop(key, 0.0):.6f} {committed:.6f}\n" for key in self.applied)
        self.out.write("".join(lines))
        self.out.flush()


class TimedConsumer(Consumer):
    """Notes when JetStream stored each fetched message before the batch is applied."""

    store: StampingStore

    async def process(self, messages: Sequence[Msg]) -> None:
        for message in messages:
            event_id = (message.headers or {}).get("Nats-Msg-Id")
            if event_id:
                self.store.stored[event_id] = message.metadata.timestamp.timestamp()
        await super().process(messages)


def spec(office: str, store: StampingStore) -> ConsumerSpec:
    async def project(tx: Transaction, envelope: Envelope) -> None:
        data = envelope.data
        await tx.raw.execute(UPSERT, data["survey_id"], data["community_id"], envelope.time)
        store.applied.append(str(envelope.id))

    return ConsumerSpec(
        name=CONSUMER,
        stream=stream_name(office),
        filter_subject=office_subjects(office),
        handler=project,
        description="Wushe benchmark: one row per survey",
    )


async def main(args: argparse.Namespace) -> None:
    wushe_logging.configure("bench-projector", args.office)
    pool = await create_pool(args.database_url, args.schema, application="wushe-bench-projector")
    client = await connect(args.nats_url, "wushe-bench-projector")
    with args.out.open("a") as out:
        store = StampingStore(pool, args.office, out)
        consumer = TimedConsumer(
            spec(args.office, store), store, client.jetstream(), office=args.office
        )
        task = asyncio.create_task(consumer.run())
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        ready = asyncio.create_task(consumer.ready.wait())
        try:
            await asyncio.wait([ready, task], return_when=asyncio.FIRST_COMPLETED)
            if ready.done():
                args.out.with_suffix(".ready").touch()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            ready.cancel()
            task.cancel()
            with contextlib.suppress(Exception):
                await client.close()
            await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.projector")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--nats-url", required=True)
    parser.add_argument("--office", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--out", type=Path, required=True)
    asyncio.run(main(parser.parse_args()))

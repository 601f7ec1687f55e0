"""Shared by the event-library tests: a counting projection over community events."""

import pytest

from wushe_events.consumer import Poison
from wushe_events.envelope import Envelope
from wushe_events.relay import Relay
from wushe_events.store import EventStore, Transaction


@pytest.fixture
async def counts(event_store: EventStore):
    """A `counts` table and a reader of it: community id → times counted."""
    async with event_store.connection() as raw:
        await raw.execute("CREATE TABLE counts (community_id text PRIMARY KEY, n int NOT NULL)")

    async def read() -> dict[str, int]:
        async with event_store.connection() as raw:
            return {r["community_id"]: r["n"] for r in await raw.fetch("SELECT * FROM counts")}

    return read


async def count(tx: Transaction, env: Envelope) -> None:
    slug = env.data["community_id"]
    if slug.startswith("poison"):
        raise Poison("this community can never be counted")
    if slug.startswith("broken"):
        raise RuntimeError("the projection is broken for this one")
    await tx.raw.execute(
        """INSERT INTO counts VALUES ($1, 1)
           ON CONFLICT (community_id) DO UPDATE SET n = counts.n + 1""",
        slug,
    )


@pytest.fixture
def counting():
    """The handler of the counting projection (poison-… and broken-… communities fail)."""
    return count


@pytest.fixture
def make_relay(event_store: EventStore, js, connect_test_schema):
    """Relays of the `event_store` fixture's schema, quick to poll and to take over."""

    def make() -> Relay:
        return Relay(
            js,
            office=event_store.office,
            connect=connect_test_schema,
            schema="test",
            poll_interval=0.2,
            standby_interval=0.1,
            protect_stream=False,
        )

    return make

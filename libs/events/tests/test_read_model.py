"""A read model against a real PostgreSQL: projected in the appending transaction, rebuilt."""

from datetime import datetime

import asyncpg

from wushe_events.catalogue.needs import CommunityRegistered, CommunityRenamed
from wushe_events.read_model import ReadModel
from wushe_events.store import EventStore


async def _registered(db: asyncpg.Connection, e: CommunityRegistered, _at: datetime) -> None:
    await db.execute("INSERT INTO names VALUES ($1, $2)", e.community_id, e.name)


NAMES = ReadModel(tables=("names",), apply={CommunityRegistered: _registered})


def registered(slug: str) -> CommunityRegistered:
    return CommunityRegistered(community_id=slug, name=f"{slug}社区", street="阳明街道")


async def test_events_are_projected_as_appended_and_rebuilt_from_the_log(
    event_store: EventStore,
):
    async with event_store.connection() as db:
        await db.execute("CREATE TABLE names (community_id text PRIMARY KEY, name text)")
    store = EventStore(event_store.pool, event_store.office, hooks=[NAMES.project])
    async with store.transaction() as tx:
        await tx.append(0, [registered("fengshan")])
        await tx.append(1, [CommunityRenamed(community_id="fengshan", name="新", street="街")])
        await tx.append(0, [registered("yangming")])

    async def names() -> list[tuple[str, str]]:
        async with store.connection() as db:
            return [tuple(r) for r in await db.fetch("SELECT * FROM names ORDER BY 1")]

    projected = await names()
    assert projected == [("fengshan", "fengshan社区"), ("yangming", "yangming社区")]
    assert await NAMES.rebuild(store, batch=2) == 3
    assert await names() == projected

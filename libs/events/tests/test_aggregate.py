"""Commands on streams against a real PostgreSQL: load, decide, append, and decide again."""

import pytest

from wushe_events.aggregate import change, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import CommunityRenamed
from wushe_events.store import ConcurrencyError, EventStore, Transaction


def renamed(name: str) -> CommunityRenamed:
    return CommunityRenamed(community_id="fengshan", name=name, street="阳明街道")


def count(state: int | None, _event: Event) -> int:
    return (state or 0) + 1


class TestChange:
    async def test_a_change_appends_what_was_decided_on_the_loaded_state(
        self, event_store: EventStore
    ):
        seen: list[int | None] = []

        def decide(state: int | None) -> list[Event]:
            seen.append(state)
            return [renamed(f"第{state or 0}次")]

        await change(event_store, "community", "fengshan", count, decide)
        await change(event_store, "community", "fengshan", count, decide)
        history = await event_store.load("community", "fengshan")
        assert seen == [None, 1]
        assert [r.event() for r in history] == [renamed("第0次"), renamed("第1次")]


class TestTransacting:
    async def test_a_stream_that_moved_meanwhile_is_loaded_and_decided_again(
        self, event_store: EventStore
    ):
        versions: list[int] = []

        async def work(tx: Transaction) -> int:
            version = len(await tx.load("community", "fengshan"))
            versions.append(version)
            if len(versions) == 1:
                async with event_store.transaction() as other:
                    await other.append(0, [renamed("抢先")])
            await tx.append(version, [renamed("随后")])
            return version

        assert await transacting(event_store, work) == 1
        assert versions == [0, 1]
        assert len(await event_store.load("community", "fengshan")) == 2

    async def test_a_conflict_in_every_attempt_is_raised_after_the_last(
        self, event_store: EventStore
    ):
        tries: list[Transaction] = []

        async def work(tx: Transaction) -> None:
            tries.append(tx)
            raise ConcurrencyError("community", "fengshan", 0)

        with pytest.raises(ConcurrencyError):
            await transacting(event_store, work, attempts=3)
        assert len(tries) == 3

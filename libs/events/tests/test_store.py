"""The event store against a real PostgreSQL: appends, conflicts, loading, the log horizon."""

import asyncio
from uuid import uuid4

import pytest

from wushe_events.catalogue.needs import CommunityRegistered, ResidentRegistered
from wushe_events.store import ConcurrencyError, EventStore, Position, read_committed
from wushe_events.trace import tracing


def community(slug: str) -> CommunityRegistered:
    return CommunityRegistered(community_id=slug, name="阳明街道社区", street="阳明街道")


def resident(resident_id, community_id="fengshan") -> ResidentRegistered:
    return ResidentRegistered(
        resident_id=resident_id,
        community_id=community_id,
        groups=["elderly_alone"],
        age_band="80_plus",
    )


class TestAppend:
    async def test_appended_events_load_back_in_version_order(self, event_store: EventStore):
        async with event_store.transaction() as tx:
            recorded = await tx.append(0, [community("fengshan")])
        assert [r.version for r in recorded] == [1]
        loaded = await event_store.load("community", "fengshan")
        assert [(e.version, e.event()) for e in loaded] == [(1, community("fengshan"))]
        assert loaded[0].office == event_store.office

    async def test_a_stale_expected_version_is_a_conflict_and_appends_nothing(
        self,
        event_store: EventStore,
    ):
        async with event_store.transaction() as tx:
            await tx.append(0, [community("fengshan")])
        with pytest.raises(ConcurrencyError):
            async with event_store.transaction() as tx:
                await tx.append(0, [community("fengshan")])
        assert len(await event_store.load("community", "fengshan")) == 1

    async def test_an_expected_version_ahead_of_the_stream_is_a_conflict(
        self,
        event_store: EventStore,
    ):
        rid = uuid4()
        with pytest.raises(ConcurrencyError):
            async with event_store.transaction() as tx:
                await tx.append(3, [resident(rid)])
        assert await event_store.load("resident", str(rid)) == []

    async def test_a_failed_transaction_leaves_nothing_behind(self, event_store: EventStore):
        rid = uuid4()
        with pytest.raises(RuntimeError):
            async with event_store.transaction() as tx:
                await tx.append(0, [resident(rid)])
                raise RuntimeError("the command failed after appending")
        assert await event_store.load("resident", str(rid)) == []

    async def test_one_append_cannot_mix_streams(self, event_store: EventStore):
        with pytest.raises(ValueError, match="one stream"):
            async with event_store.transaction() as tx:
                await tx.append(0, [resident(uuid4()), resident(uuid4())])

    async def test_events_carry_the_trace_of_the_work_that_appended_them(
        self,
        event_store: EventStore,
    ):
        with tracing("corr-1", "cause-1"):
            async with event_store.transaction() as tx:
                await tx.append(0, [community("fengshan")])
        envelope = (await event_store.load("community", "fengshan"))[0].envelope()
        assert (envelope.correlationid, envelope.causationid) == ("corr-1", "cause-1")
        assert envelope.subject == "community/fengshan"
        assert envelope.source == f"/offices/{event_store.office}/needs"

    async def test_history_is_append_only(self, event_store: EventStore):
        async with event_store.transaction() as tx:
            await tx.append(0, [community("fengshan")])
        async with event_store.connection() as raw:
            with pytest.raises(Exception, match="append-only"):
                await raw.execute("UPDATE events SET data = '{}'")
            with pytest.raises(Exception, match="append-only"):
                await raw.execute("DELETE FROM events")


class TestConcurrentWriters:
    async def test_two_writers_at_one_expected_version_one_wins_and_no_gap_appears(
        self,
        event_store: EventStore,
    ):
        rid = uuid4()
        async with event_store.transaction() as tx:
            await tx.append(0, [resident(rid)])
        both_loaded = asyncio.Barrier(2)

        async def writer(community_id: str) -> str:
            try:
                async with event_store.transaction() as tx:
                    version = len(await tx.load("resident", str(rid)))
                    await both_loaded.wait()
                    await tx.append(version, [resident(rid, community_id)] * 2)
            except ConcurrencyError:
                return "conflict"
            return "won"

        outcomes = await asyncio.gather(writer("a-community"), writer("b-community"))
        assert sorted(outcomes) == ["conflict", "won"]
        versions = [e.version for e in await event_store.load("resident", str(rid))]
        assert versions == [1, 2, 3]

    async def test_many_writers_on_one_stream_never_lose_an_update(
        self,
        event_store: EventStore,
    ):
        rid = uuid4()
        async with event_store.transaction() as tx:
            await tx.append(0, [resident(rid)])

        async def writer() -> None:
            while True:
                try:
                    async with event_store.transaction() as tx:
                        version = len(await tx.load("resident", str(rid)))
                        await tx.append(version, [resident(rid)])
                    return
                except ConcurrencyError:
                    continue

        await asyncio.gather(*(writer() for _ in range(10)))
        versions = [e.version for e in await event_store.load("resident", str(rid))]
        assert versions == list(range(1, 12))


class TestReadCommitted:
    async def test_a_transaction_that_commits_late_is_read_even_if_its_position_is_lower(
        self,
        event_store: EventStore,
    ):
        """Positions are drawn in one order and committed in the other: no event is skipped."""
        early_open = asyncio.Event()
        late_done = asyncio.Event()
        read_done = asyncio.Event()

        async def early() -> None:  # draws the lower position, commits last
            async with event_store.transaction() as tx:
                await tx.append(0, [community("drawn-first")])
                early_open.set()
                await read_done.wait()

        async def late() -> None:
            await early_open.wait()
            async with event_store.transaction() as tx:
                await tx.append(0, [community("drawn-second")])
            late_done.set()

        read_while_open: list[str] = []

        async def reader() -> None:
            await late_done.wait()
            async with event_store.connection() as raw:
                batch = await read_committed(raw, Position(), 100)
            read_while_open.extend(e.aggregate_id for e in batch)
            read_done.set()

        await asyncio.gather(early(), late(), reader())
        # While the early transaction was open, nothing after its position was handed out...
        assert read_while_open == []
        async with event_store.connection() as raw:
            batch = await read_committed(raw, Position(), 100)
        # ...and afterwards both come, each exactly once.
        assert sorted(e.aggregate_id for e in batch) == ["drawn-first", "drawn-second"]
        positions = [e.global_position for e in batch]
        assert positions[0] < positions[1]


class TestRecordedEvents:
    async def test_the_published_json_is_the_validated_envelope(self, event_store: EventStore):
        with tracing("corr-1", None):
            async with event_store.transaction() as tx:
                [recorded] = await tx.append(0, [community("fengshan")])
        [loaded] = await event_store.load("community", "fengshan")
        for one in (recorded, loaded):
            assert one.envelope_json() == one.envelope().to_json()

    async def test_several_events_append_after_an_existing_version(self, event_store: EventStore):
        rid = uuid4()
        async with event_store.transaction() as tx:
            await tx.append(0, [resident(rid)])
        async with event_store.transaction() as tx:
            recorded = await tx.append(1, [resident(rid, "a"), resident(rid, "b")])
        assert [r.version for r in recorded] == [2, 3]
        with pytest.raises(ConcurrencyError):
            async with event_store.transaction() as tx:
                await tx.append(5, [resident(rid), resident(rid)])

    async def test_hooks_see_each_appended_event_inside_its_transaction(
        self, event_store: EventStore
    ):
        seen = []

        async def hook(tx, recorded):
            seen.append(
                (recorded.aggregate_id, await tx.raw.fetchval("SELECT count(*) FROM events"))
            )

        event_store.hooks.append(hook)
        async with event_store.transaction() as tx:
            await tx.append(0, [community("fengshan")])
        assert seen == [("fengshan", 1)]

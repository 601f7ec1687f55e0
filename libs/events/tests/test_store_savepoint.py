"""A savepoint of a transaction: an error undoes what was appended within it, and only that;
the rest of the transaction commits (an import's rows, each refused alone)."""

import pytest

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.store import ConcurrencyError, EventStore


def community(slug: str) -> CommunityRegistered:
    return CommunityRegistered(community_id=slug, name="阳明街道社区", street="阳明街道")


async def test_an_error_in_a_savepoint_undoes_its_appends_only(event_store: EventStore):
    async with event_store.transaction() as tx:
        await tx.append(0, [community("fengshan")])
        with pytest.raises(ValueError, match="refused"):
            async with tx.savepoint():
                await tx.append(0, [community("xiaoshan")])
                raise ValueError("refused")
        with pytest.raises(ConcurrencyError):  # a statement that fails, undone alone too
            async with tx.savepoint():
                await tx.append(0, [community("fengshan")])
        async with tx.savepoint():
            await tx.append(0, [community("yuyao")])
        assert [e.aggregate_id for e in tx.appended] == ["fengshan", "yuyao"]
    assert len(await event_store.load("community", "fengshan")) == 1
    assert await event_store.load("community", "xiaoshan") == []
    assert len(await event_store.load("community", "yuyao")) == 1

"""Command handlers of the volunteers service, by topic: load, decide, append — one transaction
each."""

import asyncpg
from pydantic import BaseModel, ConfigDict

from wushe_volunteers import community_replica
from wushe_volunteers.domain import community


class Command(BaseModel):
    """A request that changes something; unknown fields are an error (a typo, not a no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


async def known_community(db: asyncpg.Connection, community_id: str) -> community.Community:
    """The community named, as the replica of the needs service's has it (409 if unknown)."""
    return community.known(await community_replica.find(db, community_id), community_id)

"""An aggregate's state as the fold of its events, and commands that load, decide and append."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from wushe_events.catalogue import Event
from wushe_events.store import ConcurrencyError, EventStore, RecordedEvent, Transaction

S = TypeVar("S")
T = TypeVar("T")

Evolve = Callable[[S | None, Event], S]


def fold(evolve: Evolve[S], events: Iterable[Event], state: S | None = None) -> S | None:
    for event in events:
        state = evolve(state, event)
    return state


@dataclass(frozen=True)
class Loaded(Generic[S]):
    state: S | None
    version: int  # the expected version for the next append


async def load(tx: Transaction, aggregate: str, aggregate_id: str, evolve: Evolve[S]) -> Loaded[S]:
    history: list[RecordedEvent] = await tx.load(aggregate, aggregate_id)
    return Loaded(fold(evolve, (r.event() for r in history)), len(history))


TimedEvolve = Callable[[S | None, Event, datetime], S]


async def load_timed(
    tx: Transaction, aggregate: str, aggregate_id: str, evolve: TimedEvolve[S]
) -> Loaded[S]:
    """Like `load`, for aggregates whose rules depend on when their events happened."""
    state: S | None = None
    history = await tx.load(aggregate, aggregate_id)
    for recorded in history:
        state = evolve(state, recorded.event(), recorded.occurred_at)
    return Loaded(state, len(history))


async def transacting(
    store: EventStore, work: Callable[[Transaction], Awaitable[T]], attempts: int = 5
) -> T:
    """Run a load-decide-append `work` in a transaction, and again in a new one when a stream
    it appends to moved concurrently: the next attempt decides on the new state (and may
    refuse, with the rule that now applies)."""
    for remaining in range(attempts - 1, -1, -1):
        try:
            async with store.transaction() as tx:
                return await work(tx)
        except ConcurrencyError:
            if not remaining:
                raise
    raise AssertionError("unreachable")


async def change(
    store: EventStore,
    aggregate: str,
    aggregate_id: str,
    evolve: Evolve[S],
    decide: Callable[[S | None], Sequence[Event]],
    *,
    now: datetime | None = None,
    attempts: int = 5,
) -> None:
    """A command on one stream: load it, decide on its state, append what was decided."""

    async def work(tx: Transaction) -> None:
        loaded = await load(tx, aggregate, aggregate_id, evolve)
        await tx.append(loaded.version, decide(loaded.state), now=now)

    await transacting(store, work, attempts)

"""Loading an aggregate's state as the fold of its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from wushe_events.catalogue import Event
from wushe_events.store import RecordedEvent, Transaction

S = TypeVar("S")

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

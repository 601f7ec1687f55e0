"""Correlation and causation ids of the work in progress (a command, or a consumed event), and
who asked for it (the token behind a command; none for what a service does by itself)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from uuid import UUID

import structlog


@dataclass(frozen=True)
class Trace:
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: UUID | None = None


_current: ContextVar[Trace] = ContextVar("wushe_trace", default=Trace())  # noqa: B039 - frozen


def current() -> Trace:
    return _current.get()


@contextmanager
def tracing(correlation_id: str | None, causation_id: str | None) -> Iterator[Trace]:
    """Stamp events appended and lines logged inside the block with these ids."""
    trace = Trace(correlation_id, causation_id)
    token = _current.set(trace)
    with structlog.contextvars.bound_contextvars(
        correlation_id=correlation_id,
        causation_id=causation_id,
    ):
        try:
            yield trace
        finally:
            _current.reset(token)
            # The actor goes with its trace: a request run in its caller's context (a test
            # client's) would log the next request's lines, or the test's own, under it.
            _log_actor(_current.get().actor)


def acting(actor: UUID) -> None:
    """Record `actor` (a token id) as who asks for the rest of this request's work: the events it
    appends keep it in the store (for `GET /audit`), never on the bus."""
    _current.set(replace(_current.get(), actor=actor))
    _log_actor(actor)


def _log_actor(actor: UUID | None) -> None:
    if actor is None:
        structlog.contextvars.unbind_contextvars("actor")
    else:
        structlog.contextvars.bind_contextvars(actor=str(actor))

"""Correlation and causation ids of the work in progress (a command, or a consumed event)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import structlog


@dataclass(frozen=True)
class Trace:
    correlation_id: str | None = None
    causation_id: str | None = None


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

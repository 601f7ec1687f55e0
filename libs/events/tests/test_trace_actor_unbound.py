"""Who asked for a request's work is logged with the lines of that request only: a request
run in its caller's context (a test client's) leaves no actor on the lines logged after it."""

import contextvars
from uuid import uuid4

from structlog.contextvars import get_contextvars

from wushe_events.trace import acting, current, tracing


def test_the_actor_of_a_trace_is_logged_inside_it_and_not_after():
    actor = uuid4()

    def request() -> None:
        with tracing("correlation", "request:1"):
            acting(actor)
            assert get_contextvars()["actor"] == str(actor)
        assert get_contextvars() == {}
        assert current().actor is None

    contextvars.Context().run(request)


def test_a_trace_inside_an_actors_trace_gives_the_actor_back_when_it_ends():
    outer, inner = uuid4(), uuid4()

    def request() -> None:
        with tracing("correlation", "request:1"):
            acting(outer)
            with tracing("correlation", "event:1"):
                acting(inner)
            assert get_contextvars()["actor"] == str(outer)
            assert current().actor == outer

    contextvars.Context().run(request)

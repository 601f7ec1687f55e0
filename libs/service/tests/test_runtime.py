"""Waiting for a dependency that starts after the service (compose, `wushe up`, a cluster)."""

import pytest

from wushe_events.hub import JetStreamApiError
from wushe_service.runtime import wait_for_dependency


async def test_a_jetstream_unavailable_for_now_is_waited_for_and_other_errors_are_raised():
    answers = [
        JetStreamApiError(
            {"code": 503, "err_code": 10008, "description": "temporarily unavailable"}
        ),
        ConnectionRefusedError(),
        "ready",
    ]

    async def attempt() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await wait_for_dependency("jetstream", attempt) == "ready"

    async def refused() -> None:
        raise JetStreamApiError({"code": 400, "err_code": 10058, "description": "name in use"})

    with pytest.raises(JetStreamApiError, match="name in use"):
        await wait_for_dependency("jetstream", refused)

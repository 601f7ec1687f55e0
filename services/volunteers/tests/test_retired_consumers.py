"""A durable consumer the service no longer reads is deleted from the office's stream when the
service starts, against the real NATS."""

import pytest
from nats.js.api import ConsumerConfig
from nats.js.errors import NotFoundError

from wushe_events.subjects import stream_name
from wushe_volunteers import bus


async def test_the_retired_wish_hours_consumer_is_deleted_and_its_successor_stays(
    volunteers, runtime, js, office
):
    stream = stream_name(office)
    await js.add_consumer(stream, ConsumerConfig(durable_name="volunteers-wish-hours"))

    await bus.retire_consumers(runtime)
    await bus.retire_consumers(runtime)  # again, as at every start: nothing left to delete

    with pytest.raises(NotFoundError):
        await js.consumer_info(stream, "volunteers-wish-hours")
    assert (await js.consumer_info(stream, "volunteers-wish-outcomes")).name

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from wushe_events.catalogue import Event
from wushe_events.envelope import Envelope
from wushe_events.subjects import service_of, source


def envelope_of(event: Event, office: str, version: int = 1) -> Envelope:
    return Envelope(
        id=uuid4(),
        source=source(office, service_of(event.type)),
        type=event.type,
        subject=f"{event.aggregate}/{event.aggregate_id}",
        time=datetime.now(UTC),
        data=event.payload(),
        office=office,
        streamversion=version,
    )


@pytest.fixture
def envelope():
    return envelope_of

"""The event catalogue (DESIGN §4): one pydantic model per event type, owned by its producer."""

from wushe_events.catalogue import funds, needs, volunteers
from wushe_events.catalogue.base import (
    Event,
    UnknownEventType,
    UtcDatetime,
    decode,
    event_class,
    event_types,
)

__all__ = [
    "Event",
    "UnknownEventType",
    "UtcDatetime",
    "decode",
    "event_class",
    "event_types",
    "funds",
    "needs",
    "volunteers",
]

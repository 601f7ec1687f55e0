"""The CloudEvents 1.0 envelope (structured JSON mode) that every message on the bus carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wushe_events.catalogue import Event, UtcDatetime, decode
from wushe_events.subjects import OFFICE_PATTERN, TYPE_PATTERN

CONTENT_TYPE = "application/cloudevents+json"


class InvalidEnvelope(ValueError):
    """A message that is not a CloudEvents envelope of the Wushe contract."""


class Envelope(BaseModel):
    """DESIGN §4: the attributes, the `office`/`streamversion` extensions and the trace ids."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: UUID
    source: str = Field(pattern=r"^/offices/[a-z][a-z0-9-]{1,31}/[a-z]+$")
    type: str = Field(pattern=TYPE_PATTERN)
    subject: str = Field(pattern=r"^[a-z]+/.+$")
    time: UtcDatetime
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    office: str = Field(pattern=OFFICE_PATTERN)
    streamversion: int = Field(ge=1)
    correlationid: str | None = None
    causationid: str | None = None

    @property
    def service(self) -> str:
        return self.type.split(".")[1]

    def event(self) -> Event:
        """The payload as its catalogue model (raises `UnknownEventType`, `ValidationError`)."""
        return decode(self.type, self.data)

    def to_json(self) -> bytes:
        body = self.model_dump(mode="json", exclude_none=True)
        body["time"] = rfc3339(self.time)
        return orjson.dumps(body)


def rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def parse(body: bytes | str) -> Envelope:
    try:
        return Envelope.model_validate_json(body)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) or "body" for e in error.errors())
        raise InvalidEnvelope(f"not a Wushe CloudEvents envelope ({fields})") from None


def headers(event_id: UUID) -> dict[str, str]:
    """NATS headers: `Nats-Msg-Id` = the event's id makes JetStream drop a re-published event."""
    return {"Nats-Msg-Id": str(event_id), "Content-Type": CONTENT_TYPE}

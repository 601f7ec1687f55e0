"""Dead letters: the events a consumer gave up on, kept in `WUSHE_DLQ_<OFFICE>` to be read and
applied again once what made them fail is fixed (a new release that knows a new enum value, a
bug fixed, a database back).

`wushe events dead-letters` and `GET /dead-letters` list them; `POST /dead-letters/retry` on the
service that owns the consumer hands each one to that consumer again (`Consumer.retry`), and
deletes those that now apply. The consumers' tracking rows make a retry of an event applied
meanwhile a no-op, and their read models take late events (they guard on event time, or count
distinct events), so an old event applied after newer ones changes nothing it should not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header, decode_header

import orjson
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from wushe_events.subjects import dead_letter_stream, dead_letter_subject, dead_letter_subjects


@dataclass(frozen=True)
class DeadLetter:
    sequence: int  # in the dead-letter stream
    consumer: str
    reason: str
    deliveries: int
    dead_at: datetime | None
    subject: str  # where the event was: subject, stream, sequence
    stream: str
    stream_sequence: int
    event_id: str | None  # None when the message was not an envelope at all
    event_type: str | None
    data: bytes = field(repr=False)  # the envelope, as it was

    def summary(self) -> dict[str, object]:
        """What an operator is shown: where it was and why it failed, never the payload."""
        return {
            "sequence": self.sequence,
            "consumer": self.consumer,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "subject": self.subject,
            "stream": self.stream,
            "stream_sequence": self.stream_sequence,
            "deliveries": self.deliveries,
            "dead_at": self.dead_at,
            "reason": self.reason,
        }


async def read(
    js: JetStreamContext, office: str, consumer: str | None = None, limit: int = 1000
) -> list[DeadLetter]:
    """The office's dead letters (of one consumer, or all), oldest first, at most `limit`."""
    stream = dead_letter_stream(office)
    subject = dead_letter_subject(office, consumer) if consumer else dead_letter_subjects(office)
    letters: list[DeadLetter] = []
    sequence = 1
    while len(letters) < limit:
        try:
            raw = await js.get_msg(stream, seq=sequence, subject=subject, next=True)
        except NotFoundError:  # no stream yet, or nothing at or after `sequence`
            break
        letters.append(_letter(raw.seq or sequence, raw.headers or {}, raw.data or b"", raw.time))
        sequence = (raw.seq or sequence) + 1
    return letters


async def count(js: JetStreamContext, office: str, consumer: str) -> int:
    """How many dead letters of `consumer` are kept (0 when there is no dead-letter stream)."""
    subject = dead_letter_subject(office, consumer)
    try:
        info = await js.stream_info(dead_letter_stream(office), subjects_filter=subject)
    except NotFoundError:
        return 0
    return sum((info.state.subjects or {}).values())


async def remove(js: JetStreamContext, office: str, sequence: int) -> None:
    """Delete a dead letter that has now been applied (gone already is fine: a twin did it)."""
    try:
        await js.delete_msg(dead_letter_stream(office), sequence)
    except NotFoundError:
        pass


def _text(headers: Mapping[str, object], name: str) -> str:
    """A header's value as text. nats-py parses a stored message's headers as an email's, and
    gives a value with other than ASCII in it (a reason quoting Chinese) as an email `Header`,
    whose str() is U+FFFD for each byte: its bytes are the UTF-8 the consumer wrote."""
    value = headers.get(name, "")
    if not isinstance(value, Header):
        return str(value)
    parts = (p if isinstance(p, bytes) else p.encode() for p, _ in decode_header(value))
    return b"".join(parts).decode("utf-8", "replace")


def _letter(
    sequence: int, headers: Mapping[str, object], data: bytes, dead_at: datetime | None
) -> DeadLetter:
    event_id: str | None = None
    event_type: str | None = None
    try:
        head = orjson.loads(data)
        event_id, event_type = str(head["id"]), str(head["type"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        pass  # not an envelope: listed by where it was and why
    return DeadLetter(
        sequence=sequence,
        consumer=_text(headers, "Wushe-Dead-Letter-Consumer"),
        reason=_text(headers, "Wushe-Dead-Letter-Reason"),
        deliveries=int(_text(headers, "Wushe-Deliveries") or 0),
        dead_at=dead_at,
        subject=_text(headers, "Wushe-Original-Subject"),
        stream=_text(headers, "Wushe-Original-Stream"),
        stream_sequence=int(_text(headers, "Wushe-Original-Sequence") or 0),
        event_id=event_id,
        event_type=event_type,
        data=data,
    )

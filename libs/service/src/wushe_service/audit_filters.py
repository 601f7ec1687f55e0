"""What an auditor narrows the audit down to (审计查询): a period of days on the office's
calendar, an event type of the service, a person behind the tokens. Each wrong one is a 422
naming its parameter, said once. Each list takes its filters as one dependency (`EventFilters`,
`ReadFilters`), shared by its JSON and its CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request

from wushe_events.catalogue import event_types
from wushe_service import error_pages
from wushe_service.audit_words import short_type
from wushe_service.field_rules import refuse
from wushe_service.sql import Condition, one

# The audit's periods are days: the error pages of the routes that take `period` say so
# (the dashboard's are months).
DAYS = error_pages.naming({"from": "起始日期", "to": "截止日期"})


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC: from the start of the first day to the end of the last, at the
    office's clock (a day of Asia/Shanghai starts at 16:00 UTC the day before)."""

    start: datetime | None
    end: datetime | None
    zone: ZoneInfo
    first: date | None = None  # the days as given
    last: date | None = None


def _midnight(day: date, zone: ZoneInfo) -> datetime | None:
    """The day's start in UTC; None on 0001-01-01 east of UTC, which starts before the first
    moment a datetime holds (and before any record: no bound)."""
    try:
        return datetime.combine(day, time(), zone).astimezone(UTC)
    except OverflowError:
        return None


def period(
    request: Request,
    from_: Annotated[
        date | None,
        Query(alias="from", description="the first day, on the office's calendar (YYYY-MM-DD)"),
    ] = None,
    to: Annotated[
        date | None,
        Query(description="the last day, included, on the office's calendar (YYYY-MM-DD)"),
    ] = None,
) -> Period:
    zone = request.app.state.runtime.settings.zone()
    if from_ is not None and to is not None and from_ > to:
        # One error, on `from`: both are right on their own, the pair is reversed.
        refuse(
            "from",
            f"the period is reversed: from {from_} is after to {to} (swap them)",
            "period_reversed",
        )
    start = _midnight(from_, zone) if from_ is not None else None
    end = None if to is None or to == date.max else _midnight(to + timedelta(days=1), zone)
    return Period(start, end, zone, from_, to)


def types_of(service: str, given: str | None) -> list[str] | None:
    """The versions of the event type `given` (`needs.wish.claimed`, or its full name
    `wushe.needs.wish.claimed.v1`) that this service records; None for no filter. A type of
    another service, or none, would find nothing and read as nothing done: a 422."""
    if given is None:
        return None
    wanted = short_type(given.strip())
    found = [
        t for t in event_types() if t.startswith(f"wushe.{service}.") and short_type(t) == wanted
    ]
    if not found:
        refuse(
            "type",
            f"not an event type of the {service} service, e.g. "
            f"{service}.<aggregate>.<event> as its AsyncAPI document (/asyncapi) lists them",
            "enum",
        )
    return sorted(found)


def aggregates_of(service: str) -> list[str]:
    """The aggregates whose events a service records: those of its part of the catalogue."""
    prefix = f"wushe.{service}."
    return sorted({cls.aggregate for name, cls in event_types().items() if name.startswith(prefix)})


def _known_aggregate(service: str, aggregate: str | None) -> None:
    """A misspelt aggregate (residents for resident) would find no events, and read as a
    history in which nothing happened: it is a 422 naming those there are."""
    known = aggregates_of(service)
    if aggregate is None or aggregate in known:
        return
    takes = f"one of {', '.join(known)}" if known else "none: it records no events of its own"
    refuse("aggregate", f"not an aggregate of the {service} service (it takes {takes})", "enum")


@dataclass(frozen=True)
class Filters:
    """One list's filters: its period, and the SQL conditions of all of them."""

    within: Period
    conditions: list[Condition]


Within = Annotated[Period, Depends(period)]
Person = Annotated[
    UUID | None,
    Query(description="the person (a volunteer register id) behind the tokens: all of theirs"),
]
Type = Annotated[
    str | None,
    Query(
        description="one of this service's event types, as DESIGN §4 lists them "
        "(needs.wish.claimed) or in full (wushe.needs.wish.claimed.v1); another is a 422"
    ),
]
Aggregate = Annotated[
    str | None,
    Query(
        description="one of this service's aggregates, as its events' type names them "
        "(needs: community, need, resident, survey, wish); another name is a 422 listing them"
    ),
]
Subject = Annotated[
    UUID | None,
    Query(description="the person whose data was shown: a resident's or volunteer's id"),
]
Reader = Annotated[UUID | None, Query(description="the token it was shown to")]
_OF_PERSON = "(SELECT token_id FROM auth.tokens WHERE person_id = ?)"


def event_filters(
    request: Request,
    within: Within,
    aggregate: Aggregate = None,
    aggregate_id: str | None = None,
    type: Type = None,
    actor: UUID | None = None,
    person: Person = None,
) -> Filters:
    """The filters of the events (操作记录), for `GET /audit` and `GET /audit.csv`."""
    service = request.app.state.runtime.service
    _known_aggregate(service, aggregate)
    types = types_of(service, type)
    return Filters(
        within,
        [
            ("e.aggregate = ?", one(aggregate)),
            ("e.aggregate_id = ?", one(aggregate_id)),
            ("e.event_type = ANY(?::text[])", one(types)),
            ("e.actor = ?", one(actor)),
            (f"e.actor IN {_OF_PERSON}", one(person)),
            ("e.recorded_at >= ?", one(within.start)),
            ("e.recorded_at < ?", one(within.end)),
        ],
    )


def read_filters(
    within: Within, subject_id: Subject = None, reader: Reader = None, person: Person = None
) -> Filters:
    """The filters of the read log (查阅记录), for `GET /audit/personal-data` and its CSV."""
    return Filters(
        within,
        [
            ("r.subject_id = ?", one(subject_id)),
            ("r.reader = ?", one(reader)),
            (f"r.reader IN {_OF_PERSON}", one(person)),
            ("r.read_at >= ?", one(within.start)),
            ("r.read_at < ?", one(within.end)),
        ],
    )


EventFilters = Annotated[Filters, Depends(event_filters)]
ReadFilters = Annotated[Filters, Depends(read_filters)]

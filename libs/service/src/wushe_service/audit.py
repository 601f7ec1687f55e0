"""The audit trail (审计): every event a service appended, with the token that asked for it.

The token id is kept beside each event in the store (`events.actor`), never on the bus; events
a service appends by itself (a consumed event, an expired wish) have none. Auditors and admins
read it here, newest first, by period, type, stream, token or person, each event with what
it did in Chinese (`audit_words`); as CSV for a report; and on the page 审计查询 (`GET /audit`
opened in a browser), which calls this API with the auditor's token.

The services that keep personal data (needs, volunteers) also serve their read log: who was
shown whose personal data, when and why (`wushe_service.personal_data`). Neither lists any
personal data: the read log names people by id, the events are those of the bus."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import asyncpg
import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from wushe_events.catalogue import event_types
from wushe_service import audit_csv, audit_page, paging
from wushe_service.api import (
    Credentials,
    Db,
    PageFormat,
    Principal,
    Role,
    authenticate,
    authorise,
    get_runtime,
    require,
    wants_html,
)
from wushe_service.audit_filters import DAYS, Period, period, types_of
from wushe_service.audit_words import aggregate_name, event_name, purpose_name
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.runtime import Runtime
from wushe_service.sql import Condition, one, where

router = APIRouter(tags=["audit"])
personal_data_reads = APIRouter(tags=["audit"])
Auditor = Annotated[Principal, require(Role.auditor)]
Within = Annotated[Period, Depends(period)]
Person = Annotated[
    UUID | None,
    Query(description="the person (a volunteer register id) behind the tokens: all of theirs"),
]
_OF_PERSON = "(SELECT token_id FROM auth.tokens WHERE person_id = ?)"


def aggregates_of(service: str) -> list[str]:
    """The aggregates whose events a service records: those of its part of the catalogue."""
    prefix = f"wushe.{service}."
    return sorted({cls.aggregate for name, cls in event_types().items() if name.startswith(prefix)})


def _known_aggregate(runtime: Runtime, aggregate: str | None) -> None:
    """A misspelt aggregate (residents for resident) would find no events, and read as a
    history in which nothing happened: it is a 422 naming those there are."""
    known = aggregates_of(runtime.service)
    if aggregate is None or aggregate in known:
        return
    takes = f"one of {', '.join(known)}" if known else "none: it records no events of its own"
    raise RequestValidationError(
        [
            {
                "loc": ("query", "aggregate"),
                "msg": f"not an aggregate of the {runtime.service} service (it takes {takes})",
                "type": "enum",
            }
        ]
    )


def _events_filters(
    runtime: Runtime,
    within: Period,
    aggregate: str | None,
    aggregate_id: str | None,
    type: str | None,
    actor: UUID | None,
    person: UUID | None,
) -> list[Condition]:
    _known_aggregate(runtime, aggregate)
    types = types_of(runtime.service, type)
    return [
        ("e.aggregate = ?", one(aggregate)),
        ("e.aggregate_id = ?", one(aggregate_id)),
        ("e.event_type = ANY(?::text[])", one(types)),
        ("e.actor = ?", one(actor)),
        (f"e.actor IN {_OF_PERSON}", one(person)),
        ("e.recorded_at >= ?", one(within.start)),
        ("e.recorded_at < ?", one(within.end)),
    ]


async def _events(
    db: asyncpg.Connection, filters: list[Condition], limit: int | None = None
) -> list[dict[str, Any]]:
    sql, args = where(*filters)
    rows = await db.fetch(
        f"""SELECT e.global_position AS position, e.event_id, e.event_type AS type, e.aggregate,
                   e.aggregate_id, e.version, e.occurred_at, e.recorded_at, e.correlation_id,
                   e.actor, t.name AS actor_name, t.role AS actor_role,
                   t.person_id AS actor_person_id, e.data::text AS data
            FROM events e LEFT JOIN auth.tokens t ON t.token_id = e.actor{sql}
            ORDER BY e.global_position DESC{"" if limit is None else f" LIMIT {limit}"}""",
        *args,
    )
    return [
        dict(r)
        | {
            "data": orjson.loads(r["data"]),
            "type_name": event_name(r["type"]),
            "aggregate_name": aggregate_name(r["aggregate"]),
        }
        for r in rows
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


@router.get(
    "/audit",
    openapi_extra=DAYS,
    summary="Who did what: this service's events, newest first, with the token and what each "
    "did in Chinese (auditors, admins); to a browser without a token, the page 审计查询",
)
async def audit(
    request: Request,
    db: Db,
    credentials: Credentials,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    within: Within,
    aggregate: Aggregate = None,
    aggregate_id: str | None = None,
    type: Type = None,
    actor: UUID | None = None,
    person: Person = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    # The page holds no data: its script calls this list with the auditor's token.
    if credentials is None and wants_html(request, format) and audit_page.serves(runtime):
        return audit_page.page(request)
    authorise(await authenticate(request, credentials), Role.auditor)
    filters = _events_filters(runtime, within, aggregate, aggregate_id, type, actor, person)
    after = ("e.global_position < ?", paging.decode(cursor, int))
    items = await _events(db, [*filters, after], limit + 1)
    return paging.page(items, limit, ("position",))


@router.get(
    "/audit.csv",
    openapi_extra=DAYS,
    summary="The events of /audit (same filters, all of them) as CSV for Excel: UTF-8 with "
    "BOM, headed in Chinese, times at the office's clock, no event data (auditors, admins)",
)
async def audit_as_csv(
    db: Db,
    _who: Auditor,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    within: Within,
    aggregate: Aggregate = None,
    aggregate_id: str | None = None,
    type: Type = None,
    actor: UUID | None = None,
    person: Person = None,
) -> Response:
    filters = _events_filters(runtime, within, aggregate, aggregate_id, type, actor, person)
    rows = await _events(db, filters)
    return audit_csv.response(audit_csv.events(rows, within.zone), "audit", runtime, within)


def _reads_filters(
    within: Period, subject_id: UUID | None, reader: UUID | None, person: UUID | None
) -> list[Condition]:
    return [
        ("r.subject_id = ?", one(subject_id)),
        ("r.reader = ?", one(reader)),
        (f"r.reader IN {_OF_PERSON}", one(person)),
        ("r.read_at >= ?", one(within.start)),
        ("r.read_at < ?", one(within.end)),
    ]


async def _reads(
    db: asyncpg.Connection, filters: list[Condition], limit: int | None = None
) -> list[dict[str, Any]]:
    sql, args = where(*filters)
    rows = await db.fetch(
        f"""SELECT r.read_id, r.subject_id, r.purpose, r.read_at, r.correlation_id, r.reader,
                   t.name AS reader_name, t.role AS reader_role,
                   t.person_id AS reader_person_id
            FROM personal_data_reads r LEFT JOIN auth.tokens t ON t.token_id = r.reader{sql}
            ORDER BY r.read_id DESC{"" if limit is None else f" LIMIT {limit}"}""",
        *args,
    )
    return [dict(r) | {"purpose_name": purpose_name(r["purpose"])} for r in rows]


Subject = Annotated[
    UUID | None,
    Query(description="the person whose data was shown: a resident's or volunteer's id"),
]
Reader = Annotated[UUID | None, Query(description="the token it was shown to")]


@personal_data_reads.get(
    "/audit/personal-data",
    openapi_extra=DAYS,
    summary="Who was shown whose personal data: the read log, newest first, with the token and "
    "why in Chinese (auditors, admins)",
)
async def personal_data_read_log(
    db: Db,
    _who: Auditor,
    within: Within,
    subject_id: Subject = None,
    reader: Reader = None,
    person: Person = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    filters = _reads_filters(within, subject_id, reader, person)
    after = ("r.read_id < ?", paging.decode(cursor, int))
    items = await _reads(db, [*filters, after], limit + 1)
    return paging.page(items, limit, ("read_id",))


@personal_data_reads.get(
    "/audit/personal-data.csv",
    openapi_extra=DAYS,
    summary="The read log of /audit/personal-data (same filters, all of it) as CSV for Excel: "
    "UTF-8 with BOM, headed in Chinese, times at the office's clock (auditors, admins)",
)
async def personal_data_read_log_as_csv(
    db: Db,
    _who: Auditor,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    within: Within,
    subject_id: Subject = None,
    reader: Reader = None,
    person: Person = None,
) -> Response:
    rows = await _reads(db, _reads_filters(within, subject_id, reader, person))
    return audit_csv.response(audit_csv.reads(rows, within.zone), "reads", runtime, within)

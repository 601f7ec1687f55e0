"""The audit trail (审计): every event a service appended, with the token that asked for it.

The token id is kept beside each event in the store (`events.actor`), never on the bus; events
a service appends by itself (a consumed event, an expired wish) have none. Auditors and admins
read it here, newest first, by stream or by token.

The services that keep personal data (needs, volunteers) also serve their read log: who was
shown whose personal data, when and why (`wushe_service.personal_data`)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError

from wushe_events.catalogue import event_types
from wushe_service import paging
from wushe_service.api import Db, Principal, Role, get_runtime, require
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.runtime import Runtime
from wushe_service.sql import one, where

router = APIRouter(tags=["audit"])
personal_data_reads = APIRouter(tags=["audit"])
Auditor = Annotated[Principal, require(Role.auditor)]


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


@router.get("/audit", summary="Who did what: this service's events, newest first, with the token")
async def audit(
    db: Db,
    _who: Auditor,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    aggregate: Annotated[
        str | None,
        Query(
            description="one of this service's aggregates, as its events' type names them "
            "(needs: community, need, resident, survey, wish); another name is a 422 listing them"
        ),
    ] = None,
    aggregate_id: str | None = None,
    actor: UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    _known_aggregate(runtime, aggregate)
    sql, args = where(
        ("e.aggregate = ?", one(aggregate)),
        ("e.aggregate_id = ?", one(aggregate_id)),
        ("e.actor = ?", one(actor)),
        ("e.global_position < ?", paging.decode(cursor, int)),
    )
    rows = await db.fetch(
        f"""SELECT e.global_position AS position, e.event_id, e.event_type AS type, e.aggregate,
                   e.aggregate_id, e.version, e.occurred_at, e.recorded_at, e.correlation_id,
                   e.actor, t.name AS actor_name, t.role AS actor_role, e.data::text AS data
            FROM events e LEFT JOIN auth.tokens t ON t.token_id = e.actor{sql}
            ORDER BY e.global_position DESC LIMIT {limit + 1}""",
        *args,
    )
    items = [dict(r) | {"data": orjson.loads(r["data"])} for r in rows]
    return paging.page(items, limit, ("position",))


@personal_data_reads.get(
    "/audit/personal-data",
    summary="Who was shown whose personal data: the read log, newest first, with the token",
)
async def personal_data_read_log(
    db: Db,
    _who: Auditor,
    subject_id: UUID | None = None,
    reader: UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    sql, args = where(
        ("r.subject_id = ?", one(subject_id)),
        ("r.reader = ?", one(reader)),
        ("r.read_id < ?", paging.decode(cursor, int)),
    )
    rows = await db.fetch(
        f"""SELECT r.read_id, r.subject_id, r.purpose, r.read_at, r.correlation_id, r.reader,
                   t.name AS reader_name, t.role AS reader_role
            FROM personal_data_reads r LEFT JOIN auth.tokens t ON t.token_id = r.reader{sql}
            ORDER BY r.read_id DESC LIMIT {limit + 1}""",
        *args,
    )
    return paging.page([dict(r) for r in rows], limit, ("read_id",))

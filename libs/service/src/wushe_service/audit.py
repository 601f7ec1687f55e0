"""The audit trail (审计): every event a service appended, with the token that asked for it.

The token id is kept beside each event in the store (`events.actor`), never on the bus; events
a service appends by itself (a consumed event, an expired wish) have none. Auditors and admins
read it here, newest first, by period, type, stream, token or person, each event with what
it did in Chinese (`audit_words`); as CSV for a report; and on the page 审计查询 (`GET /audit`
opened in a browser), which calls this API with the auditor's token. The lists withhold the
text people typed and people's public names (`audit_withheld`); the auditor opens one event to
read them (`GET /audit/events/{event_id}`), and the opening is read-logged.

The services that keep personal data (needs, volunteers) also serve their read log: who was
shown whose personal data, when and why (`wushe_service.personal_data`). Neither lists any
personal data: the read log names people by id, the events are those of the bus."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import orjson
import structlog
from fastapi import APIRouter, Depends, HTTPException, Request, Response

from wushe_service import audit_csv, audit_page, paging, strict_query
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
from wushe_service.audit_filters import DAYS, EventFilters, ReadFilters
from wushe_service.audit_filters import aggregates_of as aggregates_of
from wushe_service.audit_withheld import withheld
from wushe_service.audit_words import aggregate_name, event_name, purpose_name
from wushe_service.paging import Cursor, Limit, Page
from wushe_service.personal_data import log_reads
from wushe_service.runtime import Runtime
from wushe_service.sql import Condition, one, snapshot, where

router = APIRouter(tags=["audit"])
personal_data_reads = APIRouter(tags=["audit"])
# Each route names its caller before its filters: without a token an auditor's or admin's, a
# caller hears 401 (or 403) whatever else the address says, never what is wrong with a filter.
Auditor = Annotated[Principal, require(Role.auditor)]
log = structlog.get_logger()


@strict_query.authenticating
async def _auditor_or_page(
    request: Request,
    credentials: Credentials,
    runtime: Annotated[Runtime, Depends(get_runtime)],
) -> Principal | None:
    """The auditor asking for the events; None for a browser without a token, which is served
    the page 审计查询 (it holds no data). Read from the address as it is: a `format` the route
    does not take is checked after the caller, as every other parameter, and so is a parameter
    it does not take at all (once the caller is known, or here for the page)."""
    format = request.query_params.get("format")
    page = wants_html(request, format if format in ("html", "json") else None)
    if credentials is None and page and audit_page.serves(runtime):
        strict_query.refuse_unknown(request)
        return None
    return authorise(await authenticate(request, credentials), Role.auditor)


def _events_sql(conditions: list[Condition], limit: int | None = None) -> tuple[str, list[Any]]:
    sql, args = where(*conditions)
    return (
        f"""SELECT e.global_position AS position, e.event_id, e.event_type AS type, e.aggregate,
                   e.aggregate_id, e.version, e.occurred_at, e.recorded_at, e.correlation_id,
                   e.actor, t.name AS actor_name, t.role AS actor_role,
                   t.person_id AS actor_person_id, e.data::text AS data
            FROM events e LEFT JOIN auth.tokens t ON t.token_id = e.actor{sql}
            ORDER BY e.global_position DESC{"" if limit is None else f" LIMIT {limit}"}""",
        args,
    )


def _event(row: Mapping[str, Any], *, whole: bool = False) -> dict[str, Any]:
    """An event as the lists show it: its data without the text they withhold, and what that
    was (`withheld`: each field's path and length); `whole`, as one opened shows it."""
    data = orjson.loads(row["data"])
    shown, hidden = withheld(row["type"], data)
    return dict(row) | {
        "type_name": event_name(row["type"]),
        "aggregate_name": aggregate_name(row["aggregate"]),
        "data": data if whole else shown,
        "withheld": hidden,
    }


async def _events(db: asyncpg.Connection, conditions: list[Condition], limit: int) -> list[Any]:
    sql, args = _events_sql(conditions, limit)
    return [_event(r) for r in await db.fetch(sql, *args)]


async def _streamed(
    runtime: Runtime, sql: str, args: list[Any], shape: Callable[[Mapping[str, Any]], Any]
) -> AsyncIterator[Any]:
    """The rows of a whole period, for a CSV: fetched in batches through a cursor, in one
    snapshot, so that an office's year of log is never in memory at once. The connection is
    the stream's own, held while the file is sent and given back if the download stops."""
    async with runtime.store.connection() as db, snapshot(db):
        async for row in db.cursor(sql, *args, prefetch=audit_csv.BATCH):
            yield shape(row)


@router.get(
    "/audit",
    openapi_extra=DAYS,
    summary="Who did what: this service's events, newest first, with the token and what each "
    "did in Chinese, the text people typed withheld (`withheld`: its fields and lengths) "
    "(auditors, admins); to a browser without a token, the page 审计查询",
)
async def audit(
    request: Request,
    who: Annotated[Principal | None, Depends(_auditor_or_page)],
    db: Db,
    filters: EventFilters,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: PageFormat = None,
) -> Any:
    # The page holds no data: its script calls this list with the auditor's token.
    if who is None:
        return audit_page.page(request)
    after = ("e.global_position < ?", paging.decode(cursor, int))
    items = await _events(db, [*filters.conditions, after], limit + 1)
    return paging.page(items, limit, ("position",))


@router.get(
    "/audit.csv",
    openapi_extra=DAYS,
    summary="The events of /audit (same filters, all of them) as CSV for Excel: UTF-8 with "
    "BOM, headed in Chinese, times at the office's clock, no event data but the length of "
    "the text /audit withholds (auditors, admins)",
)
async def audit_as_csv(
    _who: Auditor,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    filters: EventFilters,
) -> Response:
    rows = _streamed(runtime, *_events_sql(filters.conditions), _event)
    zone = filters.within.zone
    return audit_csv.response(audit_csv.events(rows, zone), "audit", runtime, filters.within)


def _subject(event: dict[str, Any]) -> UUID:
    """Whom an opened event's text is about, for the read log: the resident or volunteer its
    data names, else its record (a wish, an activity, a project), else the event itself."""
    data = event["data"]
    for candidate in (data.get("resident_id"), data.get("volunteer_id"), event["aggregate_id"]):
        try:
            return UUID(str(candidate))
        except ValueError:
            continue
    subject: UUID = event["event_id"]
    return subject


@router.get(
    "/audit/events/{event_id}",
    summary="One event of /audit whole, with the text its lists withhold (titles, summaries, "
    "public names; `withheld` names them), for auditors and admins: the opening is in the "
    "read log (/audit/personal-data, purpose `audit event`) where the service keeps one",
)
async def audit_event(
    event_id: UUID,
    who: Auditor,
    db: Db,
    runtime: Annotated[Runtime, Depends(get_runtime)],
) -> dict[str, Any]:
    sql, args = _events_sql([("e.event_id = ?", one(event_id))], 1)
    async with db.transaction():
        row = await db.fetchrow(sql, *args)
        if row is None:
            raise HTTPException(404, f"no event {event_id} in the {runtime.service} service's log")
        event = _event(row, whole=True)
        fields = sorted({path.split(".")[0] for path in event["withheld"]})
        # Only text withheld is personal data shown; ids and codes are the lists' own.
        if fields and audit_page.keeps_read_log(runtime):
            purpose = f"audit event: {', '.join(fields)}"
            await log_reads(db, [_subject(event)], who.token_id, purpose)
    if fields:
        log.info("audit_event_opened", event_id=str(event_id), fields=fields)
    return event


def _reads_sql(conditions: list[Condition], limit: int | None = None) -> tuple[str, list[Any]]:
    sql, args = where(*conditions)
    return (
        f"""SELECT r.read_id, r.subject_id, r.purpose, r.read_at, r.correlation_id, r.reader,
                   t.name AS reader_name, t.role AS reader_role,
                   t.person_id AS reader_person_id
            FROM personal_data_reads r LEFT JOIN auth.tokens t ON t.token_id = r.reader{sql}
            ORDER BY r.read_id DESC{"" if limit is None else f" LIMIT {limit}"}""",
        args,
    )


def _read(row: Mapping[str, Any]) -> dict[str, Any]:
    return dict(row) | {"purpose_name": purpose_name(row["purpose"])}


@personal_data_reads.get(
    "/audit/personal-data",
    openapi_extra=DAYS,
    summary="Who was shown whose personal data: the read log, newest first, with the token and "
    "why in Chinese (auditors, admins)",
)
async def personal_data_read_log(
    _who: Auditor,
    db: Db,
    filters: ReadFilters,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    after = ("r.read_id < ?", paging.decode(cursor, int))
    sql, args = _reads_sql([*filters.conditions, after], limit + 1)
    items = [_read(r) for r in await db.fetch(sql, *args)]
    return paging.page(items, limit, ("read_id",))


@personal_data_reads.get(
    "/audit/personal-data.csv",
    openapi_extra=DAYS,
    summary="The read log of /audit/personal-data (same filters, all of it) as CSV for Excel: "
    "UTF-8 with BOM, headed in Chinese, times at the office's clock (auditors, admins)",
)
async def personal_data_read_log_as_csv(
    _who: Auditor,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    filters: ReadFilters,
) -> Response:
    rows = _streamed(runtime, *_reads_sql(filters.conditions), _read)
    zone = filters.within.zone
    return audit_csv.response(audit_csv.reads(rows, zone), "reads", runtime, filters.within)

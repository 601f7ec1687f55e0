"""HTTP routes of the reporting service: the dashboard, its JSON, exports and freshness.

The read models hold no personal data, so reading figures needs no token; but without one,
the counts about residents are rounded and those small enough to point at one withheld
(`withheld`, WUSHE_PUBLIC_MIN_COUNT). An auditor's, a viewer's or an admin's token reads them
exact, and exports the tables with a row per person (pseudonymous) or per need.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from nats.errors import Error as NatsError
from pydantic import BeforeValidator
from pydantic_core import PydanticUseDefault

from wushe_events.hub import JetStreamApiError, Link
from wushe_events.subjects import OFFICE_PATTERN
from wushe_reporting import (
    bus,
    labels,
    projections,
    queries,
    rebuild,
    snapshots,
    staleness,
    withheld,
)
from wushe_reporting.projections import PER_PERSON, ROW_PER_NEED, TABLES
from wushe_reporting.queries.export import PERIOD, Lang, Unfilterable, file_name
from wushe_reporting.queries.filters import unknown_place
from wushe_reporting.refusals import no_such_table, rows_per_need, without_csv
from wushe_reporting.settings import ReportingSettings
from wushe_service import error_pages, workbench
from wushe_service.api import Credentials, Db, Role, authenticate, authorise, get_runtime
from wushe_service.error_pages import Refusal
from wushe_service.runtime import Runtime

router = APIRouter()
DASHBOARD = files("wushe_reporting").joinpath("dashboard")
static = StaticFiles(directory=str(DASHBOARD.joinpath("static")))


def _not_given_when_empty(value: object) -> object:
    if value == "":
        raise PydanticUseDefault  # the parameter's default, as when it is left out
    return value


# Every query parameter here takes an empty value as one not given: a form sent with a field
# left blank (`?office=&from=&to=2026-10`), a link built from an empty choice. Put after its
# `Query(...)`, which keeps the parameter's pattern in the OpenAPI document.
Empty = BeforeValidator(_not_given_when_empty)
# Years 1900-2999: a month outside them is a typo, not a period (and year 0 or 9999's end
# would not even be a date).
MONTH_PATTERN = r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$"
Month = Annotated[
    str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM; empty: no bound"), Empty
]
# The dashboard's periods are months: its error pages name them so (the audit's are days),
# and a 422 says what the pattern asks for, not the regex, in the JSON's English words too.
MONTHS = error_pages.naming(
    {"from": "起始月份", "to": "截止月份"},
    {MONTH_PATTERN: "应为年月，如 2026-10（1900-2999 年），或留空表示不限"},
    {
        MONTH_PATTERN: "a month as YYYY-MM (e.g. 2026-10), of the years 1900-2999, or empty for no "
        "bound"
    },
)
OFFICE_RULE = (
    "an office id: lowercase letters a-z, digits and hyphens, starting with a letter,"
    " 2-32 characters (e.g. yuyao)"
)
OFFICE_RULE_ZH = "应为机构编号：小写字母 a-z、数字和连字符，以字母开头，2-32 个字符（如 yuyao）"


def _office(office: str | None) -> str | None:
    if office is not None and not re.match(OFFICE_PATTERN, office):
        raise Refusal(
            422,
            f"office: must be {OFFICE_RULE}",
            ("office", OFFICE_RULE_ZH),
            invalid=("query.office", f"must be {OFFICE_RULE}", "string_pattern_mismatch"),
        )
    return office


def filters(
    office: Annotated[str | None, Empty] = None,
    street: Annotated[str | None, Empty] = None,
    community: Annotated[str | None, Empty] = None,
    from_: Annotated[Month, Query(alias="from")] = None,
    to: Annotated[Month, Query(description="YYYY-MM, included; empty: no bound")] = None,
) -> queries.Filters:
    start = date.fromisoformat(f"{from_}-01") if from_ else None
    end = None
    if to:
        year, month = map(int, to.split("-"))
        end = date(year + month // 12, month % 12 + 1, 1)
    if start and end and start >= end:
        why = (
            f"must be on or before to; from {from_} is after to {to}"
            f" (swap them: from={to}&to={from_})"
        )
        raise Refusal(
            422,
            f"from: {why}",
            # Said once, naming neither bound: each is right on its own.
            ("", f"起始月份晚于截止月份：{from_} 在 {to} 之后，请对调为 from={to}&to={from_}"),
            invalid=("query.from", why, "period_reversed"),
        )
    return queries.Filters(
        office=_office(office), street=street, community=community, start=start, end=end
    )


Filter = Annotated[queries.Filters, Depends(filters)]


def period(
    from_: Annotated[Month, Query(alias="from")] = None,
    to: Annotated[Month, Query(description="YYYY-MM, included; empty: no bound")] = None,
) -> queries.Filters:
    """The months of `?from=&to=` alone (a reversed period refused as `filters` refuses it)."""
    return filters(from_=from_, to=to)


Period = Annotated[queries.Filters, Depends(period)]


async def known(db: Db, f: Filter, request: Request) -> queries.Filters:
    """The filters, once their office, street and community are known (else a 404 naming
    the unknown one: a mistyped place would read as zeros)."""
    configured = request.app.state.runtime.settings.configured_offices()
    problem = await unknown_place(db, f, configured)
    if problem is not None:
        raise Refusal(404, problem.english, (problem.field, problem.chinese))
    return f


Known = Annotated[queries.Filters, Depends(known)]


def least(request: Request) -> int:
    """The smallest count about residents anyone may read (WUSHE_PUBLIC_MIN_COUNT)."""
    settings: ReportingSettings = request.app.state.runtime.settings
    return settings.public_min_count


Least = Annotated[int, Depends(least)]


async def exact_figures(request: Request, credentials: Credentials, least: Least) -> bool:
    """Whether the caller reads exact figures: with a token of an auditor, a viewer or an admin
    (another's is refused, a 403 naming them: it was given to read them; an unknown one, a
    401); without one, counts about residents are rounded and small ones withheld. With nothing
    withheld (WUSHE_PUBLIC_MIN_COUNT 0 or 1) a token changes nothing, and is not read."""
    if credentials is None:
        return False
    if least > 1:
        authorise(await authenticate(request, credentials), Role.auditor, Role.viewer)
    return True


Exact = Annotated[bool, Depends(exact_figures)]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def dashboard() -> HTMLResponse:
    page = DASHBOARD.joinpath("index.html").read_text("utf-8")
    # Its script and style are files of its own (ECharts styles its charts through the CSSOM,
    # which the policy allows): no inline script or style runs.
    return HTMLResponse(page.replace("{{labels}}", labels.inline(), 1), headers=workbench.headers())


@router.get(
    "/api/overview",
    tags=["reporting"],
    summary="Headline figures per office",
    openapi_extra=MONTHS,
    description="Surveys, money raised and verified hours count within `from`-`to` (months,"
    " both included; none: all time), as `/api/figures` counts them for the same office and"
    " period; residents, active volunteers and open needs as they stand now.",
)
async def overview(
    db: Db, request: Request, exact: Exact, least: Least, months: Period
) -> dict[str, Any]:
    settings = request.app.state.runtime.settings
    found = await queries.overview(
        db, settings.configured_offices(), settings.office_names(), months
    )
    return found if exact else withheld.overview(found, least)


@router.get(
    "/api/figures",
    tags=["reporting"],
    summary="Every figure of the dashboard, by office, street, community and period",
    openapi_extra=MONTHS,
    description="Without a token, every count of `residents`, `surveys`, `needs` and `consent`"
    " is rounded to a multiple of WUSHE_PUBLIC_MIN_COUNT, one from 1 to it less one is null, and"
    " each of those sections says `below` and `rounded_to` (so that no difference of figures, of"
    " places or of periods, gives a withheld count back). A token of an auditor, a viewer or an"
    " admin reads every count exact.",
)
async def figures(db: Db, f: Known, exact: Exact, least: Least) -> dict[str, Any]:
    found = await queries.figures(db, f)
    return found if exact else withheld.figures(found, least)


@router.get(
    "/api/offices/{office}/communities",
    tags=["reporting"],
    summary="An office's streets and communities, with headline figures",
    openapi_extra=MONTHS,
    description="Surveys count within `from`-`to` (months, both included; none: all time), as"
    " a community's `/api/figures` count them; residents, open needs, active volunteers and"
    " residents due a visit as they stand now.",
)
async def communities(
    office: str, db: Db, request: Request, exact: Exact, least: Least, months: Period
) -> dict[str, Any]:
    configured = request.app.state.runtime.settings.configured_offices()
    problem = await unknown_place(db, queries.Filters(office=_office(office)), configured)
    if problem is not None:
        raise Refusal(404, problem.english, (problem.field, problem.chinese))
    found = await queries.places(db, office, months)
    return found if exact else withheld.places(found, least)


@router.get(
    "/api/lag",
    tags=["reporting"],
    summary="How fresh each office's figures are",
    description="Per office: its last event, on a city hub the state of its link (`link`:"
    " the hub stream's source — messages not yet copied, seconds since the last contact, error)"
    " and `stale` (no contact for WUSHE_REPORTING_STALE_AFTER seconds); per consumer: what is"
    " still to project; `rebuilding`: a replay of the streams is under way, the figures are"
    " incomplete until it ends.",
)
async def lag(db: Db, runtime: Annotated[Runtime, Depends(get_runtime)]) -> dict[str, Any]:
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    pending: dict[str, dict[str, Any]] = {}
    for consumer in runtime.consumers:
        try:
            info = await runtime.js.consumer_info(consumer.spec.stream, consumer.spec.name)
        except NatsError as error:  # NATS down: the figures still come from PostgreSQL
            pending[consumer.spec.name] = {"error": str(error) or type(error).__name__}
        else:
            pending[consumer.spec.name] = {
                "pending": info.num_pending,
                "ack_pending": info.num_ack_pending,
            }
    backlog = sum(
        (c.get("pending", 0) + c.get("ack_pending", 0) for c in pending.values()), start=0
    )
    links: dict[str, Link] | None
    try:
        links = await bus.links(runtime)
    except (NatsError, JetStreamApiError):
        links = None
    offices = staleness.offices_lag(
        await queries.freshness(db),
        links,
        settings.offices_of_hub(),
        settings.reporting_stale_after,
        None if any("error" in c for c in pending.values()) else backlog,
    )
    # Figures being rebuilt by a replay are incomplete until it ends.
    rebuilding = await rebuild.stored_version(runtime.store) != projections.VERSION
    return {"offices": offices, "consumers": pending, "rebuilding": rebuilding}


@router.get(
    "/api/snapshots",
    tags=["reporting"],
    summary="The snapshots taken: every figure as it stood at the end of a day, newest first"
    " (each day's versions, newest first)",
)
async def snapshot_list(db: Db) -> list[dict[str, Any]]:
    return await snapshots.listing(db)


@router.get(
    "/api/snapshots/{as_of}",
    tags=["reporting"],
    summary="A snapshot: the overview and every figure at the end of that day (or one office's)",
)
async def snapshot(
    as_of: date,
    db: Db,
    exact: Exact,
    least: Least,
    office: Annotated[str | None, Empty] = None,
    taken_at: Annotated[
        datetime | None, Query(description="an earlier version (default: the latest)"), Empty
    ] = None,
) -> dict[str, Any]:
    try:
        found = await snapshots.read(db, as_of, _office(office), taken_at)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    if exact:
        return found
    seen = found | {"figures": withheld.figures(found["figures"], least)}
    if "overview" in found:  # all offices'
        seen["overview"] = withheld.overview(found["overview"], least)
    return seen


@router.get(
    "/api/export",
    tags=["reporting"],
    summary="The fact tables that export as CSV",
    description="Each with `per_person` (a row per person), `token` (it needs a token: a row per"
    " person, or per need while WUSHE_PUBLIC_MIN_COUNT withholds small counts), `community` and"
    " `street` (it takes"
    " `?community=` and `?street=`) and `period` (the moment by which it takes `?from=` and"
    " `?to=`, or null).",
)
async def exports(db: Db, least: Least) -> dict[str, Any]:
    placed = await queries.tables_with_community(db)
    return {
        "tables": [
            {
                "table": t,
                "csv": f"/api/export/{t}.csv",
                "per_person": t in PER_PERSON,
                "token": _needs_token(t, least),
                "community": t in placed,
                "street": t in placed,
                "period": PERIOD.get(t),
            }
            for t in TABLES
        ]
    }


@router.get(
    "/api/export/{table}.csv",
    tags=["reporting"],
    summary="A fact table as CSV (UTF-8 with BOM, for Excel)",
    description="All rows, or those of one office (`office`), street (`street`) or community"
    " (`community`) — for the tables that have a community — and period (`from`, `to`: for the"
    " tables with a `period` in `/api/export`, by that moment); with codes, or in Chinese"
    " (`lang=zh`). Tables with a row per person (`per_person`), or per need while small counts"
    " are withheld (`token` in `/api/export`: without a token, a 401 saying why), need a token"
    " of an auditor, a viewer or an admin. Opened in a browser (from the dashboard's links), a"
    " refusal, a mistyped parameter or an unknown table or place is answered as a page in"
    " Chinese; programs get JSON.",
    openapi_extra={**error_pages.FOR_PEOPLE, **MONTHS},
)
async def export(
    table: str,
    db: Db,
    request: Request,
    credentials: Credentials,
    f: Known,
    least: Least,
    lang: Annotated[
        Lang,
        Query(
            description="`en` (default): column names and codes as stored, money in fen,"
            " True/False — for programs; `zh`: Chinese headers and labels, money in yuan"
            " with two decimals, 是/否 — for people (the dashboard's links in Chinese)"
        ),
        Empty,
    ] = "en",
) -> Response:
    if table not in TABLES:
        raise no_such_table(table, f"table {table}: no such table; tables: {', '.join(TABLES)}")
    if _needs_token(table, least):
        if credentials is None and table in ROW_PER_NEED:
            raise rows_per_need(table, least)
        authorise(await authenticate(request, credentials), Role.auditor, Role.viewer)
    try:
        text = await queries.export_csv(db, table, f, lang)
    except Unfilterable as error:
        why = str(error).removeprefix(f"{error.field}: ")
        invalid = (f"query.{error.field}", why, "not_filterable")
        raise Refusal(422, str(error), (error.field, error.chinese), invalid=invalid) from None
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(file_name(table, f))},
    )


@router.get("/api/export/{table}", include_in_schema=False, openapi_extra=error_pages.FOR_PEOPLE)
async def export_without_csv(table: str) -> Response:
    """A table asked for without `.csv` (or with another ending): a 404 that says how to ask,
    where the router's was a bare Not Found (a page in Chinese to a browser, as the export's
    own errors). After the `.csv` route, which takes those."""
    said = f"exports as /api/export/{table}.csv" if table in TABLES else "no such table"
    raise without_csv(
        table,
        f"table {table}: {said}; each table exports as /api/export/<table>.csv,"
        f" tables: {', '.join(TABLES)}",
    )


def _needs_token(table: str, least: int) -> bool:
    """A row per person, or per need: a count of one, given to anyone only when every count is
    (WUSHE_PUBLIC_MIN_COUNT 0 or 1)."""
    return table in PER_PERSON or (table in ROW_PER_NEED and least > 1)


def attachment(name: str) -> str:
    """A download named `name` (RFC 6266): in UTF-8 (`filename*`, RFC 5987) and, for clients
    that read only `filename`, its ASCII parts (a street's Chinese name dropped)."""
    fallback = re.sub(r"-{2,}", "-", name.encode("ascii", "ignore").decode())
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"

"""Snapshots (期末数): every figure as it stood at the end of a day — a month's, a quarter's or a
year's close — for the reports sent up to the civil-affairs bureau, which must not move later.

The live read models know stocks (residents, active volunteers, open needs, balances) only as
they stand now. A snapshot replays the stream, up to the end of that day in office time, into a
scratch schema, reads every figure there (all offices together and each office), keeps them in
`snapshots` and drops the scratch schema. Taken again, a new version is shown (an office that
was offline at the close and caught up since is then counted too) and the earlier ones are kept:
the version a report quoted is read again by its `taken_at`.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import orjson
import structlog
from nats.js import JetStreamContext

from wushe_events.database import create_engine, create_pool
from wushe_events.envelope import InvalidEnvelope, parse
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_reporting import bus, queries
from wushe_reporting.projections import MIGRATIONS
from wushe_reporting.queries.filters import OFFICE_TIME, Filters
from wushe_reporting.rebuild import rebuild

CONSUMER = "reporting-snapshot"
log = structlog.get_logger()


def end_of(day: date) -> datetime:
    """The moment a day ends in the offices' calendar."""
    return datetime.combine(day + timedelta(days=1), time.min, OFFICE_TIME)


def last_month_end(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


def today() -> date:
    """Today in the offices' calendar (a server may keep UTC)."""
    return datetime.now(OFFICE_TIME).date()


async def take(
    store: EventStore,
    database_url: str,
    js: JetStreamContext,
    *,
    stream: str,
    subjects: str,
    as_of: date,
    offices: Collection[str] = (),
) -> dict[str, Any]:
    """Replay up to the end of `as_of` into a scratch schema, keep its figures in `store`'s
    schema, drop the scratch schema; returns what was kept (without the figures). The
    `offices` configured are kept with zeros if none of their events came by then."""
    scratch = f"reporting_snapshot_{as_of:%Y%m%d}_{secrets.token_hex(4)}"
    engine = create_engine(database_url, scratch, application="wushe-snapshot")
    try:
        await upgrade(engine, scratch, [MIGRATIONS])
        pool = await create_pool(database_url, scratch, application="wushe-snapshot", size=4)
        try:
            events = await rebuild(
                EventStore(pool, store.office),
                js,
                stream=stream,
                subjects=subjects,
                consumer=CONSUMER,
                until=end_of(as_of),
            )
            async with pool.acquire() as db:
                figures = await _figures(db, end_of(as_of), offices)
        finally:
            await pool.close()
    finally:
        async with engine.begin() as connection:
            await connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{scratch}" CASCADE')
        await engine.dispose()
    taken_at = datetime.now(UTC)
    async with store.connection() as db:
        await db.execute(
            """INSERT INTO snapshots (as_of, taken_at, events, figures)
               VALUES ($1, $2, $3, $4::jsonb)""",
            as_of,
            taken_at,
            events,
            orjson.dumps(figures, default=_plain).decode(),
        )
    return {"as_of": as_of, "taken_at": taken_at, "events": events}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):  # sums of hours, medians
        return float(value)
    raise TypeError(type(value).__name__)


CHECK_EVERY = 3600.0  # seconds between looks at whether last month's snapshot is due


async def keep_month_closes(runtime: Any) -> None:
    """Take last month's snapshot by itself once the month has been over for
    WUSHE_REPORTING_MONTH_CLOSE_HOURS; looked at every hour, so a restart or an outage only
    delays it."""
    if not runtime.settings.reporting_month_close:
        return
    while True:
        try:
            await close_last_month(runtime, datetime.now(UTC))
        except Exception:  # NATS or PostgreSQL away: the next look tries again
            log.exception("reporting_month_close_failed", retry_in=CHECK_EVERY)
        await asyncio.sleep(CHECK_EVERY)


async def close_last_month(runtime: Any, now: datetime) -> date | None:
    """Take the snapshot of the end of last month if it is due and missing; the day taken."""
    settings = runtime.settings
    day = last_month_end(now.astimezone(OFFICE_TIME).date())
    due = end_of(day) + timedelta(hours=settings.reporting_month_close_hours)
    if now < due:
        return None  # offices that were offline may still be catching up
    async with runtime.store.connection() as db:
        # A version taken by hand before the close was due may lack late offices' events.
        if await db.fetchval(
            "SELECT 1 FROM snapshots WHERE as_of = $1 AND taken_at >= $2", day, due
        ):
            return None
    stream, subjects = bus.source(runtime)
    if not await _events_before(runtime.js, stream, end_of(day)):
        return None  # the office started later: nothing to close
    taken = await take(
        runtime.store,
        settings.database_url,
        runtime.js,
        stream=stream,
        subjects=subjects,
        as_of=day,
        offices=settings.configured_offices(),
    )
    log.info("reporting_month_closed", as_of=day.isoformat(), events=taken["events"])
    return day


async def _events_before(js: JetStreamContext, stream: str, moment: datetime) -> bool:
    """Whether the stream's first event happened before `moment` (its envelope's time, not
    when it was stored: a hub sources an office's history late)."""
    state = (await js.stream_info(stream)).state
    if not state.messages:
        return False
    first = await js.get_msg(stream, seq=state.first_seq)
    try:
        return parse(first.data or b"").time < moment
    except InvalidEnvelope:
        return True  # not an envelope: let the replay decide


async def _figures(
    db: asyncpg.Connection, moment: datetime, configured: Collection[str]
) -> dict[str, Any]:
    overview = await queries.overview(db, configured)
    offices = [o["office"] for o in overview["offices"]]
    for office in overview["offices"]:  # how fresh it was then, not how long ago that is
        office.pop("seconds_since_last_event", None)
    return {
        "overview": overview,
        "all": await queries.figures(db, Filters(at=moment)),
        "offices": {o: await queries.figures(db, Filters(office=o, at=moment)) for o in offices},
    }


async def listing(db: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every snapshot, newest day first, each day's versions newest first."""
    rows = await db.fetch(
        "SELECT as_of, taken_at, events FROM snapshots ORDER BY as_of DESC, taken_at DESC"
    )
    return [dict(r) for r in rows]


async def read(
    db: asyncpg.Connection, as_of: date, office: str | None = None, taken_at: datetime | None = None
) -> dict[str, Any]:
    """A snapshot's figures (of one office, or all): its latest version, or the one taken at
    `taken_at`; LookupError naming what there is."""
    row = await db.fetchrow(
        """SELECT * FROM snapshots WHERE as_of = $1 AND ($2::timestamptz IS NULL OR taken_at = $2)
           ORDER BY taken_at DESC LIMIT 1""",
        as_of,
        taken_at,
    )
    if row is None:
        taken = [f"{r['as_of']} (taken {r['taken_at'].isoformat()})" for r in await listing(db)]
        at = f" taken at {taken_at.isoformat()}" if taken_at else ""
        raise LookupError(
            f"as_of {as_of}: no snapshot{at}; taken: {', '.join(taken) or 'none'}"
            " (wushe reporting snapshot --as-of YYYY-MM-DD)"
        )
    stored = orjson.loads(row["figures"])
    head = {"as_of": row["as_of"], "taken_at": row["taken_at"], "events": row["events"]}
    if office is None:
        return head | {"overview": stored["overview"], "figures": stored["all"]}
    if office not in stored["offices"]:
        known = ", ".join(stored["offices"]) or "none"
        raise LookupError(f"office {office}: no events by {as_of}; offices then: {known}")
    return head | {"office": office, "figures": stored["offices"][office]}

"""The `projects` table of the public list, one row per granted application: kept by the
hook, refilled from the log when the fold changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from typing import Any
from uuid import UUID

import asyncpg
import orjson
import structlog

from wushe_events.catalogue import decode
from wushe_events.catalogue.funds import ApplicationApproved
from wushe_events.store import RecordedEvent, Transaction
from wushe_funds.domain.project import Project, ProjectState, project_of

log = structlog.get_logger()


# The `projects` table, one row per granted application: what the public list shows, as of
# a version of the application's stream.
PROJECT_COLUMNS = (*(f.name for f in fields(Project)), "fund_id", "version")

_UPSERT_PROJECT = f"""INSERT INTO projects ({", ".join(PROJECT_COLUMNS)})
    VALUES ({", ".join(f"${n}" for n in range(1, len(PROJECT_COLUMNS) + 1))})
    ON CONFLICT (application_id) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in PROJECT_COLUMNS[1:])}
    WHERE projects.version < excluded.version"""

# A round's fund, which nothing changes after it opened.
ROUND_FUND = """SELECT (data->>'fund_id')::uuid FROM events
    WHERE aggregate = 'round' AND aggregate_id = $1 AND version = 1"""


def project_row(granted: Project, fund_id: UUID, version: int) -> dict[str, Any]:
    """A project's row, by column: the hook's and the fill's from the log alike."""
    row = {f.name: getattr(granted, f.name) for f in fields(Project)}
    return row | {
        "state": granted.state.value,
        "need_ids": list(granted.need_ids),
        "fund_id": fund_id,
        "version": version,
    }


def project_from(row: asyncpg.Record) -> Project:
    """The project a row holds (its fund and version aside)."""
    found: dict[str, Any] = {f.name: row[f.name] for f in fields(Project)}
    return Project(
        **found | {"state": ProjectState(row["state"]), "need_ids": tuple(row["need_ids"])}
    )


async def upsert_project(db: asyncpg.Connection, row: dict[str, Any]) -> None:
    """Write a project's row unless it already reflects a later version of its stream: a late
    or repeated writer never takes a row back."""
    await db.execute(_UPSERT_PROJECT, *(row[c] for c in PROJECT_COLUMNS))


async def _keep_project(tx: Transaction, recorded: RecordedEvent) -> None:
    # Read back the whole stream (an application's is short), in the append's transaction:
    # the row is the fold of all of it, whichever event of a batch comes first.
    kept = await tx.raw.fetchrow(
        "SELECT fund_id, version FROM projects WHERE application_id = $1",
        UUID(recorded.aggregate_id),
    )
    if kept is None and recorded.event_type != ApplicationApproved.type:
        return  # never granted (yet)
    if kept is not None and kept["version"] >= recorded.version:
        return  # an earlier event of the same append already folded this one
    history = await tx.load(recorded.aggregate, recorded.aggregate_id)
    granted = project_of((r.event(), r.occurred_at) for r in history)
    if granted is None:
        return
    fund_id = kept["fund_id"] if kept else await tx.raw.fetchval(ROUND_FUND, str(granted.round_id))
    await upsert_project(tx.raw, project_row(granted, fund_id, history[-1].version))


# Which fold filled the table: a release that changes `project_of` or the row raises it, and
# the service refills the table from the log once, when it next starts.
PROJECTS_VERSION = 2  # 2: updated_at

# Every event of every application ever approved, in order.
_GRANTED = (
    """SELECT aggregate_id, version, event_type, data::text AS data, occurred_at
    FROM events WHERE aggregate = 'application' AND aggregate_id IN (
        SELECT aggregate_id FROM events
        WHERE aggregate = 'application' AND event_type = '"""
    + ApplicationApproved.type
    + """')
    ORDER BY aggregate_id, version"""
)

_ROUND_FUNDS = """SELECT aggregate_id::uuid AS round_id, (data->>'fund_id')::uuid AS fund_id
    FROM events WHERE aggregate = 'round' AND version = 1"""


async def fill_projects(db: asyncpg.Connection) -> int | None:
    """Fill the `projects` table from the log unless this version of the fold filled it
    already: a row per application approved so far, as the hook writes it. The number of
    rows written, or None when there was nothing to do.

    In one transaction, under the table's lock: a second replica starting meanwhile waits,
    then finds it filled; an append racing the fill writes its row after it, from a later
    version of its stream, so the fill never takes a row back."""
    async with db.transaction():
        await db.execute(
            """INSERT INTO read_models VALUES ('projects', 0, now())
               ON CONFLICT (name) DO NOTHING"""
        )
        filled = await db.fetchval(
            "SELECT version FROM read_models WHERE name = 'projects' FOR UPDATE"
        )
        if filled == PROJECTS_VERSION:
            return None
        await db.execute("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE")
        await db.execute("DELETE FROM projects")
        histories: defaultdict[str, list[asyncpg.Record]] = defaultdict(list)
        for row in await db.fetch(_GRANTED):
            histories[row["aggregate_id"]].append(row)
        funds = {r["round_id"]: r["fund_id"] for r in await db.fetch(_ROUND_FUNDS)}
        written = 0
        for history in histories.values():
            granted = project_of(
                (decode(r["event_type"], orjson.loads(r["data"])), r["occurred_at"])
                for r in history
            )
            if granted is not None:
                row = project_row(granted, funds[granted.round_id], history[-1]["version"])
                await upsert_project(db, row)
                written += 1
        await db.execute(
            "UPDATE read_models SET version = $1, filled_at = now() WHERE name = 'projects'",
            PROJECTS_VERSION,
        )
    log.info("projects_filled", version=PROJECTS_VERSION, projects=written)
    return written

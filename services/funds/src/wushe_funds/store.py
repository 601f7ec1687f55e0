"""The funds service's own tables: the public ledger, written in the transaction of the
fund's money events (an `EventStore` hook), the applications by round and team and the
granted projects of the public list (the same hook), its replica of the volunteers' teams,
and the free text of the grant process (reviewers' comments, rejection notes) that stays off
the bus."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson
import structlog

from wushe_events.catalogue import decode
from wushe_events.catalogue.funds import (
    ApplicationApproved,
    ApplicationSubmitted,
    DonationReceived,
    DonationRefunded,
    ExpenseReported,
    GrantDisbursed,
)
from wushe_events.errors import RuleBroken
from wushe_events.store import RecordedEvent, Transaction
from wushe_funds.domain import ledger
from wushe_funds.domain.project import Project, ProjectState, project_of

log = structlog.get_logger()

_COLUMNS = """fund_id, sequence, event_id, occurred_at, kind, reference, amount_fen, balance_fen,
    purpose, counterpart, prev_hash, hash"""


def entry_of(row: asyncpg.Record) -> ledger.Entry:
    """The entry a ledger row holds; ValueError if it holds none."""
    content = ledger.Content(
        row["fund_id"],
        row["sequence"],
        row["event_id"],
        row["occurred_at"],
        ledger.Kind(row["kind"]),
        row["reference"],
        row["amount_fen"],
        row["balance_fen"],
        row["purpose"],
        row["counterpart"],
    )
    return ledger.Entry(content, row["prev_hash"], row["hash"])


def entry_or_unreadable(row: asyncpg.Record) -> ledger.Entry | ledger.Unreadable:
    """The entry a row holds, or what makes it none: a tampered row is reported, not a crash."""
    try:
        return entry_of(row)
    except ValueError:
        return ledger.Unreadable(row["sequence"], f"kind {row['kind']!r}")


async def ledger_rows(db: asyncpg.Connection, fund_id: UUID) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {_COLUMNS} FROM ledger WHERE fund_id = $1 ORDER BY sequence", fund_id
    )


async def _write_entry(db: asyncpg.Connection, recorded: RecordedEvent) -> None:
    event = recorded.event()
    if not isinstance(event, DonationReceived | DonationRefunded | GrantDisbursed):
        return
    # The fund's stream has one next version, so one writer at a time reaches this point.
    last = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM ledger WHERE fund_id = $1 ORDER BY sequence DESC LIMIT 1",
        event.fund_id,
    )
    donors = {}
    if isinstance(event, DonationRefunded):
        donor = await db.fetchval(
            "SELECT counterpart FROM ledger WHERE fund_id = $1 AND reference = $2",
            event.fund_id,
            event.donation_id,
        )
        donors[event.donation_id] = donor or ledger.ANONYMOUS
    entry = ledger.next_entry(
        entry_of(last) if last else None,
        event.fund_id,
        event,
        recorded.event_id,
        recorded.occurred_at,
        donors,
    )
    assert entry is not None
    c = entry.content
    await db.execute(
        f"""INSERT INTO ledger ({_COLUMNS})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
        c.fund_id,
        c.sequence,
        c.event_id,
        c.occurred_at,
        c.kind.value,
        c.reference,
        c.amount_fen,
        c.balance_fen,
        c.purpose,
        c.counterpart,
        entry.prev_hash,
        entry.hash,
    )


async def project(tx: Transaction, recorded: RecordedEvent) -> None:
    """The `EventStore` hook: a money event of a fund becomes its next ledger entry; an
    expense claims its receipt; a submission indexes its application by round and team; an
    event of a granted application rewrites its project's row."""
    if recorded.aggregate == "fund":
        await _write_entry(tx.raw, recorded)
        if recorded.event_type == DonationReceived.type:
            event = recorded.event()
            assert isinstance(event, DonationReceived)
            await _record_receipt(tx.raw, event)
    elif recorded.event_type == ExpenseReported.type:
        event = recorded.event()
        assert isinstance(event, ExpenseReported)
        await _claim_receipt(tx.raw, event)
    elif recorded.event_type == ApplicationSubmitted.type:
        await _index_application(tx.raw, recorded)
    if recorded.aggregate == "application":
        await _keep_project(tx, recorded)


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


async def _index_application(db: asyncpg.Connection, recorded: RecordedEvent) -> None:
    # A submission again after a withdrawal continues the stream: its first place is kept.
    event = recorded.event()
    assert isinstance(event, ApplicationSubmitted)
    await db.execute(
        """INSERT INTO applications VALUES ($1, $2, $3, $4)
           ON CONFLICT (application_id) DO NOTHING""",
        event.application_id,
        event.round_id,
        event.team_id,
        recorded.global_position,
    )


async def _claim_receipt(db: asyncpg.Connection, event: ExpenseReported) -> None:
    # The commands check first (`receipt_claimed_by`); the key decides between racing ones.
    claimed = await db.fetchval(
        """INSERT INTO expense_receipts VALUES ($1, $2, $3)
           ON CONFLICT (receipt_sha256) DO NOTHING RETURNING 1""",
        event.receipt_sha256,
        event.expense_id,
        event.application_id,
    )
    if claimed is None:
        raise RuleBroken("receipt_already_claimed", "another expense claimed this receipt")


async def _record_receipt(db: asyncpg.Connection, event: DonationReceived) -> None:
    # The commands check first (`receipt_fund`); the key decides between funds racing.
    if event.receipt_number is None:
        return
    recorded = await db.fetchval(
        """INSERT INTO donation_receipts VALUES ($1, $2, $3)
           ON CONFLICT (receipt_number) DO NOTHING RETURNING 1""",
        event.receipt_number,
        event.fund_id,
        event.donation_id,
    )
    if recorded is None:
        raise RuleBroken(
            "receipt_number_used", f"receipt {event.receipt_number} records another donation"
        )


async def receipt_fund(db: asyncpg.Connection, receipt_number: str | None) -> UUID | None:
    """The fund whose donation a receipt number records, if any (numbers are the office's)."""
    if receipt_number is None:
        return None
    fund_id: UUID | None = await db.fetchval(
        "SELECT fund_id FROM donation_receipts WHERE receipt_number = $1", receipt_number
    )
    return fund_id


async def keep_refund_note(
    db: asyncpg.Connection, refund_id: UUID, fund_id: UUID, note: str
) -> None:
    """A refund's note, in the refund's transaction: staff's free text stays in this database."""
    await db.execute("INSERT INTO refund_notes VALUES ($1, $2, $3)", refund_id, fund_id, note)


async def receipt_claimed_by(db: asyncpg.Connection, receipt_sha256: str) -> UUID | None:
    """The application whose expense claimed a receipt, if any."""
    application_id: UUID | None = await db.fetchval(
        "SELECT application_id FROM expense_receipts WHERE receipt_sha256 = $1", receipt_sha256
    )
    return application_id


# What a ledger's verification depends on, of one fund or of all: its stream version (its
# events are append-only) and a digest of every stored row, so that a row tampered with
# anywhere, not only at the head, changes it. Hashed where the rows are: nothing is sent.
LEDGER_DIGEST = """encode(sha256(convert_to(
    coalesce(string_agg(l::text, E'\\n' ORDER BY l.sequence), ''), 'UTF8')), 'hex')"""

Fingerprint = tuple[int, str]


async def ledger_fingerprints(db: asyncpg.Connection) -> dict[UUID, Fingerprint]:
    """Every fund's (stream version, ledger digest), in one statement and one snapshot, in
    the order the funds were opened."""
    rows = await db.fetch(
        f"""SELECT v.fund_id, v.version,
                   coalesce(d.digest, encode(sha256(''::bytea), 'hex')) AS digest
            FROM (SELECT aggregate_id::uuid AS fund_id, max(version) AS version,
                         min(global_position) AS opened
                  FROM events WHERE aggregate = 'fund' GROUP BY aggregate_id) v
            LEFT JOIN (SELECT l.fund_id, {LEDGER_DIGEST} AS digest FROM ledger l
                       GROUP BY l.fund_id) d USING (fund_id)
            ORDER BY v.opened"""
    )
    return {r["fund_id"]: (r["version"], r["digest"]) for r in rows}


async def lock_fund(db: asyncpg.Connection, fund_id: UUID) -> None:
    """Serialise the commands that move one fund's money. Expected versions alone keep them
    correct, but 30 racing disbursements would retry each other until some gave up while the
    money was there. An advisory lock takes no transaction id, so take it first: the rule
    "load before you write" (wushe_events.store) still holds."""
    await db.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"fund:{fund_id}")


async def lock_round(db: asyncpg.Connection, round_id: UUID, *, shared: bool = False) -> None:
    """Serialise closing or cancelling a round with the submissions to it (which share the
    lock): a cancellation sees every application submitted before it, and none after.
    Taken first in the transaction, as `lock_fund`."""
    lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    await db.execute(f"SELECT {lock}(hashtextextended($1, 0))", f"round:{round_id}")


async def applications_of(db: asyncpg.Connection, round_id: UUID) -> list[UUID]:
    """The ids of the applications ever submitted to a round, in the order first submitted
    (an index, `applications_by_round`: not a scan of the office's events)."""
    rows = await db.fetch(
        "SELECT application_id FROM applications WHERE round_id = $1 ORDER BY submitted_position",
        round_id,
    )
    return [r["application_id"] for r in rows]


# A page of a round's or a team's applications: first submitted after a position (the page's
# cursor), in that order. Two statements rather than one with `$1 IS NULL OR …`, which a
# prepared statement's generic plan could not answer from the index.
_AFTER = """SELECT application_id, submitted_position FROM applications
    WHERE {column} = $1 AND submitted_position > $2 ORDER BY submitted_position"""


async def round_applications_after(
    db: asyncpg.Connection, round_id: UUID, after: int
) -> list[asyncpg.Record]:
    return await db.fetch(_AFTER.format(column="round_id"), round_id, after)


async def team_applications_after(
    db: asyncpg.Connection, team_id: UUID, after: int
) -> list[asyncpg.Record]:
    return await db.fetch(_AFTER.format(column="team_id"), team_id, after)


async def upsert_team(db: asyncpg.Connection, team_id: UUID, kind: str, name: str) -> None:
    await db.execute(
        """INSERT INTO teams VALUES ($1, $2, $3)
           ON CONFLICT (team_id) DO UPDATE SET kind = excluded.kind, name = excluded.name""",
        team_id,
        kind,
        name,
    )


async def add_member(
    db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID, role: str = "member"
) -> None:
    """A member added again with another role (made coordinator) takes that role."""
    await db.execute(
        """INSERT INTO team_members (team_id, volunteer_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (team_id, volunteer_id) DO UPDATE SET role = excluded.role""",
        team_id,
        volunteer_id,
        role,
    )


async def remove_member(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> None:
    await db.execute(
        "DELETE FROM team_members WHERE team_id = $1 AND volunteer_id = $2", team_id, volunteer_id
    )


async def team_name(db: asyncpg.Connection, team_id: UUID) -> str | None:
    name: str | None = await db.fetchval("SELECT name FROM teams WHERE team_id = $1", team_id)
    return name


async def keep_need_category(db: asyncpg.Connection, need_id: UUID, category: str) -> None:
    await db.execute(
        "INSERT INTO need_categories VALUES ($1, $2) ON CONFLICT (need_id) DO NOTHING",
        need_id,
        category,
    )


async def need_categories(db: asyncpg.Connection, need_ids: set[UUID]) -> dict[UUID, str]:
    """The category of each of the needs named that this service has heard of."""
    rows = await db.fetch(
        "SELECT need_id, category FROM need_categories WHERE need_id = ANY($1::uuid[])",
        list(need_ids),
    )
    return {r["need_id"]: r["category"] for r in rows}


async def teams(db: asyncpg.Connection, team_ids: set[UUID]) -> dict[UUID, dict[str, str]]:
    """The public name and kind of each of the teams named that this service has heard of."""
    rows = await db.fetch(
        "SELECT team_id, name, kind FROM teams WHERE team_id = ANY($1::uuid[])", list(team_ids)
    )
    return {r["team_id"]: {"name": r["name"], "kind": r["kind"]} for r in rows}


async def is_member(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> bool:
    return bool(
        await db.fetchval(
            "SELECT 1 FROM team_members WHERE team_id = $1 AND volunteer_id = $2",
            team_id,
            volunteer_id,
        )
    )


async def is_coordinator(db: asyncpg.Connection, team_id: UUID, volunteer_id: UUID) -> bool:
    return bool(
        await db.fetchval(
            """SELECT 1 FROM team_members
               WHERE team_id = $1 AND volunteer_id = $2 AND role = 'coordinator'""",
            team_id,
            volunteer_id,
        )
    )


async def keep_comments(
    db: asyncpg.Connection, application_id: UUID, reviewer_id: str, comments: str, at: datetime
) -> None:
    """In the review's transaction: a reviewer reviews an application once (the aggregate)."""
    await db.execute(
        "INSERT INTO review_comments VALUES ($1, $2, $3, $4)",
        application_id,
        reviewer_id,
        comments,
        at,
    )


async def comments_of(db: asyncpg.Connection, application_id: UUID) -> dict[str, str]:
    rows = await db.fetch(
        "SELECT reviewer_id, comments FROM review_comments WHERE application_id = $1",
        application_id,
    )
    return {r["reviewer_id"]: r["comments"] for r in rows}


async def keep_rejection_note(
    db: asyncpg.Connection, application_id: UUID, note: str, at: datetime
) -> None:
    """In the rejection's transaction: an application is rejected once (the aggregate)."""
    await db.execute("INSERT INTO rejection_notes VALUES ($1, $2, $3)", application_id, note, at)


async def keep_round_note(
    db: asyncpg.Connection, round_id: UUID, kind: str, note: str, at: datetime
) -> None:
    """In the close's (or cancellation's) transaction: each happens once to a round."""
    await db.execute("INSERT INTO round_notes VALUES ($1, $2, $3, $4)", round_id, kind, note, at)


async def round_notes(db: asyncpg.Connection, round_id: UUID) -> dict[str, str]:
    """A round's notes by kind (closed, cancelled): for staff, never published."""
    rows = await db.fetch("SELECT kind, note FROM round_notes WHERE round_id = $1", round_id)
    return {row["kind"]: row["note"] for row in rows}


async def rejection_note(db: asyncpg.Connection, application_id: UUID) -> str | None:
    note: str | None = await db.fetchval(
        "SELECT note FROM rejection_notes WHERE application_id = $1", application_id
    )
    return note

"""Registering the residents of an office's spreadsheet (批量导入居民).

Each row is checked by the rules of one registration (`residents.decide_registration`), and
imported as `POST /residents` registers one (its own data key, its own events, personal data
sealed and events without it), in a savepoint of its own within a transaction of BATCH rows.
A person registered already by their ID number is skipped, so that a file imported twice, or
again after a crash halfway, registers nobody twice; a namesake in the community of the same
birth year or phone, without two ID numbers to tell them apart, is a possible duplicate — not
imported, nor taken for the same person: the social worker decides.
The ID number of a resident whose personal data was erased is refused (`erased`): an old
spreadsheet imported again must not undo what they asked for.
Two rows of one person in the file are told by the same rules. A consent given on the row of a
resident on record is recorded for them (as `POST /residents/{id}/consents` does: a child under
14's by a guardian only) unless they have given it already. The report names rows and columns,
never what a cell holds."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar
from uuid import UUID, uuid4

import structlog

from wushe_events.aggregate import load, transacting
from wushe_events.catalogue.needs import ConsentPurpose
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_needs import import_words
from wushe_needs import store as needs_store
from wushe_needs.commands import import_rows, residents
from wushe_needs.domain import resident
from wushe_needs.resident_sheet import HEADERS, Sheet
from wushe_service.personal_data import Vault

log = structlog.get_logger()
T = TypeVar("T")


class Consent(StrEnum):
    """What became of the consent of a row of a resident on record (already_registered)."""

    recorded = "recorded"  # recorded for them now (an import)
    to_be_recorded = "to_be_recorded"  # would be recorded (a check)
    on_record = "on_record"  # given already: not recorded twice
    not_recorded = "not_recorded"  # refused: `errors` say why


class Status(StrEnum):
    ok = "ok"  # to be registered (a check)
    registered = "registered"  # registered now (an import)
    already_registered = "already_registered"  # skipped: their ID number is on record
    possible_duplicate = "possible_duplicate"  # not imported: a namesake on record may be them
    erased = "erased"  # not imported: their personal data was erased, at their request
    error = "error"  # not registered: `errors` say why


@dataclass
class RowReport:
    row: int  # as the spreadsheet numbers it
    status: Status
    errors: list[import_rows.CellError] = field(default_factory=list)
    # Registered now, on record already, or (possible_duplicate) the namesake it may be.
    resident_id: UUID | None = None
    matched_by: str | None = None  # id_number (certain); name (and birth year or phone)
    note: str | None = None  # already_registered, possible_duplicate, erased: why, in Chinese
    duplicate_of_row: int | None = None  # the earlier row of the file of the same person
    consent: Consent | None = None  # already_registered, with a consent in the row
    cells: dict[str, str] | None = None  # a check's: the row as read, by column


@dataclass
class Report:
    columns: list[str]  # the columns used, as headed in the template
    ignored_columns: list[str]  # the file's other headers
    counts: dict[str, int]
    rows: list[RowReport]


async def check(
    store: EventStore, vault: Vault, sheet: Sheet, street: str | None, chosen: str | None
) -> Report:
    """What importing would do, row by row; nothing written."""
    now = datetime.now(UTC)
    reports = []
    for batch in _batches(await import_rows.prepare(store, sheet, street, chosen)):
        async with store.transaction() as tx:
            await _lock_names(tx, vault, batch)
            for prepared in batch:
                report = _report(prepared, Status.ok)
                if report.status is Status.ok and prepared.command:
                    try:
                        # An ID number on record is certain: told before a namesake may be them.
                        await residents.id_number_registered(tx, vault, prepared.command)
                        await residents.id_number_not_erased(tx, vault, prepared.command)
                        await residents.decide_registration(
                            tx, vault, uuid4(), prepared.command, now
                        )
                    except (InvalidReference, RuleBroken) as refused:
                        report = _refused(prepared, refused)
                        report = await _on_record(
                            _within(tx), vault, prepared, report, now, check=True
                        )
                report.cells = {HEADERS[f]: text for f, text in prepared.row.cells.items()}
                reports.append(report)
    return _summed(sheet, reports)


async def register(
    store: EventStore,
    vault: Vault,
    sheet: Sheet,
    street: str | None,
    chosen: str | None,
    recorded_by: str | None,
) -> Report:
    """Register the rows that pass, each as `POST /residents` does (its own data key, its own
    events), BATCH rows a transaction, each row in a savepoint of its own (a row refused undoes
    nothing of the others), AT_ONCE batches at a time; skip those on record."""
    at_once = asyncio.Semaphore(AT_ONCE)

    async def registering(batch: list[import_rows.Prepared]) -> list[RowReport]:
        async with at_once:
            return await _register_batch(store, vault, batch, recorded_by)

    prepared = await import_rows.prepare(store, sheet, street, chosen)
    async with asyncio.TaskGroup() as group:  # a batch failing stops those still running
        tasks = [group.create_task(registering(batch)) for batch in _batches(prepared)]
    summed = _summed(sheet, [report for task in tasks for report in task.result()])
    log.info("residents_imported", **summed.counts)  # counts only: the rows are personal data
    return summed


async def _register_batch(
    store: EventStore, vault: Vault, batch: list[import_rows.Prepared], recorded_by: str | None
) -> list[RowReport]:
    reports: list[RowReport] = []
    consents = []
    async with store.transaction() as tx:
        await _lock_names(tx, vault, batch)
        for prepared in batch:
            report = _report(prepared, Status.registered)
            if report.status is Status.registered and prepared.command:
                now = datetime.now(UTC)
                try:
                    async with tx.savepoint():  # an ID number on record first, as a check
                        await residents.id_number_registered(tx, vault, prepared.command)
                        await residents.id_number_not_erased(tx, vault, prepared.command)
                        report.resident_id = await residents.registered(
                            tx, vault, prepared.command, now, recorded_by
                        )
                except (InvalidReference, RuleBroken) as refused:
                    report = _refused(prepared, refused)
                    if _gives_consent(report, prepared):
                        told = await _on_record(
                            _within(tx), vault, prepared, _copy(report), now, check=True
                        )
                        if told.consent is Consent.to_be_recorded:
                            consents.append((len(reports), prepared, now))
                        else:  # on record already, or refused: told now
                            report = told
            reports.append(report)
    # A consent to record is appended to a stream another transaction may have moved while the
    # batch ran: in a transaction of its own, that loads before it writes (the store's ordering
    # rule), once the batch is committed.
    for at, prepared, now in consents:
        reports[at] = await _on_record(
            lambda work: transacting(store, work), vault, prepared, reports[at], now, recorded_by
        )
    return reports


# Rows a transaction: one commit (and its flush to disk) for many rows, the names' locks held
# no longer than a batch takes (a fraction of a second) and the relay's next events no longer
# held up behind it.
BATCH = 100
# Batches registered at once, each on a connection of the service's pool (of 20): the rows of
# one batch wait on PostgreSQL one round trip after another, and a namesake in two batches is
# told as in two imports at once (the second waits for the first's name lock, then sees it).
AT_ONCE = 4


def _batches(prepared: list[import_rows.Prepared]) -> Iterator[list[import_rows.Prepared]]:
    for start in range(0, len(prepared), BATCH):
        yield prepared[start : start + BATCH]


async def _lock_names(tx: Transaction, vault: Vault, batch: list[import_rows.Prepared]) -> None:
    """The locks of the batch's names that each row's duplicate check takes, taken at once
    and in one order before any of them: two imports of one name wait, never deadlock."""
    names = [p.command.name for p in batch if p.command and not p.errors]
    await needs_store.lock_names(tx.raw, [vault.digest("name", name) for name in names])


def _report(prepared: import_rows.Prepared, passing: Status) -> RowReport:
    if prepared.errors:
        return RowReport(
            prepared.row.number,
            Status.error,
            prepared.errors,
            duplicate_of_row=prepared.duplicate_of_row,
        )
    return RowReport(prepared.row.number, passing)


async def _on_record(
    run: Callable[[Callable[[Transaction], Awaitable[Consent]]], Awaitable[Consent]],
    vault: Vault,
    prepared: import_rows.Prepared,
    report: RowReport,
    now: datetime,
    recorded_by: str | None = None,
    *,
    check: bool = False,
) -> RowReport:
    """A resident on record whose row gives their consent: it is recorded (an import) unless
    given already, by the rules of recording one, in the transaction `run` gives the work (one
    of its own, `transacting`, to record it); what became of it is in the report."""
    given = prepared.command.consent if prepared.command else None
    if not _gives_consent(report, prepared) or given is None or not report.resident_id:
        return report
    holder = report.resident_id

    async def work(tx: Transaction) -> Consent:
        held = await load(tx, "resident", str(holder), resident.evolve)
        if held.state is not None and ConsentPurpose.personal_data in held.state.consents:
            return Consent.on_record
        birth = residents.birth_of(await vault.read(tx.raw, holder))
        events = resident.grant_consent(
            held.state,
            holder,
            ConsentPurpose.personal_data,
            given.given_by,
            now,
            birth,
            recorded_by,
        )
        if check:
            return Consent.to_be_recorded
        await tx.append(held.version, events, now=now)
        return Consent.recorded

    try:
        report.consent = await run(work)
    except RuleBroken as refused:
        report.errors.append(import_rows.cell_error("consent", refused.rule))
        report.consent = Consent.not_recorded
    report.note = f"{report.note}；{import_words.consent(report.consent, given.given_by)}"
    return report


def _gives_consent(report: RowReport, prepared: import_rows.Prepared) -> bool:
    on_record = report.status is Status.already_registered
    return on_record and prepared.command is not None and prepared.command.consent is not None


def _copy(report: RowReport) -> RowReport:
    return replace(report, errors=list(report.errors))


def _within(tx: Transaction) -> Callable[[Callable[[Transaction], Awaitable[T]]], Awaitable[T]]:
    """Work that only reads, run in `tx` (a batch's)."""

    def run(work: Callable[[Transaction], Awaitable[T]]) -> Awaitable[T]:
        return work(tx)

    return run


def _refused(prepared: import_rows.Prepared, refused: InvalidReference | RuleBroken) -> RowReport:
    number = prepared.row.number
    if isinstance(refused, RuleBroken) and refused.rule == "id_number_erased":
        return RowReport(number, Status.erased, matched_by="id_number", note=import_words.ERASED)
    if isinstance(refused, RuleBroken) and refused.rule in (
        "resident_exists",
        "possible_duplicate",
    ):
        certain = refused.rule == "resident_exists"
        return RowReport(
            number,
            Status.already_registered if certain else Status.possible_duplicate,
            resident_id=UUID(str(refused.details["duplicate_of"])),
            matched_by="id_number" if certain else "name",
            note=import_words.ALREADY if certain else import_words.POSSIBLE,
        )
    if isinstance(refused, RuleBroken):
        where = "consent" if refused.rule == "guardian_consent_required" else "name"
        return RowReport(number, Status.error, [import_rows.cell_error(where, refused.rule)])
    return RowReport(number, Status.error, [import_rows.cell_error(refused.field, refused.code)])


def _summed(sheet: Sheet, reports: list[RowReport]) -> Report:
    counts = Counter(r.status.value for r in reports)
    return Report(
        columns=[HEADERS[f] for f in sheet.columns],
        ignored_columns=sheet.ignored,
        counts={s.value: counts.get(s.value, 0) for s in Status},
        rows=reports,
    )

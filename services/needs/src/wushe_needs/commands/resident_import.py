"""Registering the residents of an office's spreadsheet (批量导入居民).

Each row is checked by the rules of one registration (`residents.decide_registration`), and
imported as `POST /residents` registers one, in a transaction of its own: personal data sealed,
events without it. A person registered already — the same ID number, or the same name in the
community with the same birth year or phone — is skipped, so that a file imported twice, or
again after a crash halfway, registers nobody twice. Two rows of one person in the file are
told by the same rules. The report names rows and columns, never what a cell holds."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

import structlog
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from wushe_events.errors import InvalidReference, RuleBroken
from wushe_events.store import EventStore
from wushe_needs import import_words, queries
from wushe_needs.commands import duplicates, residents
from wushe_needs.domain import resident
from wushe_needs.resident_labels import GIVERS, GROUPS
from wushe_needs.resident_sheet import EXAMPLE, HEADERS, Row, Sheet
from wushe_service.identity import birth_date, valid_id_number
from wushe_service.personal_data import Vault, normalised

log = structlog.get_logger()


class Status(StrEnum):
    ok = "ok"  # to be registered (a check)
    registered = "registered"  # registered now (an import)
    already_registered = "already_registered"  # skipped: the resident is on record
    error = "error"  # not registered: `errors` say why


@dataclass(frozen=True)
class CellError:
    column: str  # the column's header, as the template has it: 身份证号
    field: str  # the registration's field: id_number
    type: str  # a code, as a registration's 422 has it
    message: str  # in Chinese, for the person at the spreadsheet


@dataclass
class RowReport:
    row: int  # as the spreadsheet numbers it
    status: Status
    errors: list[CellError] = field(default_factory=list)
    resident_id: UUID | None = None  # registered now, or the resident on record already
    matched_by: str | None = None  # already_registered: id_number, or name (and birth or phone)
    note: str | None = None  # already_registered: why, in Chinese
    duplicate_of_row: int | None = None  # the earlier row of the file of the same person
    cells: dict[str, str] | None = None  # a check's: the row as read, by column


@dataclass
class Report:
    columns: list[str]  # the columns used, as headed in the template
    ignored_columns: list[str]  # the file's other headers
    counts: dict[str, int]
    rows: list[RowReport]


@dataclass
class _Prepared:
    row: Row
    errors: list[CellError]
    command: residents.RegisterResident | None = None
    duplicate_of_row: int | None = None


async def check(
    store: EventStore, vault: Vault, sheet: Sheet, street: str | None, chosen: str | None
) -> Report:
    """What importing would do, row by row; nothing written."""
    now = datetime.now(UTC)
    reports = []
    for prepared in await _prepare(store, sheet, street, chosen):
        report = _report(prepared, Status.ok)
        if report.status is Status.ok and prepared.command:
            try:
                async with store.transaction() as tx:
                    await residents.decide_registration(tx, vault, uuid4(), prepared.command, now)
                    await residents.id_number_registered(tx, vault, prepared.command)
            except (InvalidReference, RuleBroken) as refused:
                report = _refused(prepared, refused)
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
    """Register the rows that pass, each in its own transaction; skip those on record."""
    reports = []
    for prepared in await _prepare(store, sheet, street, chosen):
        report = _report(prepared, Status.registered)
        if report.status is Status.registered and prepared.command:
            try:
                report.resident_id = await residents.register_resident(
                    store, vault, prepared.command, datetime.now(UTC), recorded_by
                )
            except (InvalidReference, RuleBroken) as refused:
                report = _refused(prepared, refused)
        reports.append(report)
    summed = _summed(sheet, reports)
    log.info("residents_imported", **summed.counts)  # counts only: the rows are personal data
    return summed


def _report(prepared: _Prepared, passing: Status) -> RowReport:
    if prepared.errors:
        return RowReport(
            prepared.row.number,
            Status.error,
            prepared.errors,
            duplicate_of_row=prepared.duplicate_of_row,
        )
    return RowReport(prepared.row.number, passing)


def _refused(prepared: _Prepared, refused: InvalidReference | RuleBroken) -> RowReport:
    number = prepared.row.number
    if isinstance(refused, RuleBroken) and refused.rule in (
        "resident_exists",
        "possible_duplicate",
    ):
        by = "id_number" if refused.rule == "resident_exists" else "name"
        holder = UUID(str(refused.details["duplicate_of"]))
        return RowReport(
            number,
            Status.already_registered,
            resident_id=holder,
            matched_by=by,
            note=import_words.ALREADY[by],
        )
    if isinstance(refused, RuleBroken):
        where = "consent" if refused.rule == "guardian_consent_required" else "name"
        return RowReport(number, Status.error, [_error(where, refused.rule)])
    return RowReport(number, Status.error, [_error(refused.field, refused.code)])


def _summed(sheet: Sheet, reports: list[RowReport]) -> Report:
    counts = Counter(r.status.value for r in reports)
    return Report(
        columns=[HEADERS[f] for f in sheet.columns],
        ignored_columns=sheet.ignored,
        counts={s.value: counts.get(s.value, 0) for s in Status},
        rows=reports,
    )


def _error(name: str, kind: str, message: str | None = None, **context: Any) -> CellError:
    """An error of a row's column `name` (a field of the registration, or of the sheet)."""
    column = _COLUMN_OF.get(name, name)
    return CellError(
        HEADERS.get(column, column),
        _FIELD_OF.get(name, name),
        kind,
        message or import_words.worded(kind, context),
    )


_COLUMN_OF = {"community_id": "community"}  # the sheet names a community; the command, its id
_FIELD_OF = {"community": "community_id"}


async def _prepare(
    store: EventStore, sheet: Sheet, street: str | None, chosen: str | None
) -> list[_Prepared]:
    """Each row as a registration, or what is wrong with it that the file alone tells."""
    async with store.connection() as db:
        places = await queries.every_community(db)
    earlier: dict[tuple[str, str], list[tuple[int, residents.RegisterResident]]] = {}
    id_numbers: dict[str, int] = {}
    prepared = []
    for row in sheet.rows:
        errors: list[CellError] = []
        data = _fields(row, errors)
        if (where := _community(row, places, street, chosen, errors)) is not None:
            data["community_id"] = where
        command = _command(data, errors)
        one = _Prepared(row, errors, command)
        if command is not None and not errors:
            _same_person(one, command, earlier, id_numbers)
        order = [_FIELD_OF.get(c, c) for c in sheet.columns]
        errors.sort(key=lambda e: order.index(e.field) if e.field in order else len(order))
        prepared.append(one)
    return prepared


_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_CONSENT = {
    **{words: giver for giver, label in GIVERS.items() for words in (label, f"{label}同意")},
    **{giver.value: giver for giver in GIVERS},
}
_NO_CONSENT = {"", "无", "否", "未取得", "暂未取得", "未同意"}
_GROUPS = {**{label: g for g, label in GROUPS.items()}, **{g.value: g for g in GROUPS}}


def _fields(row: Row, errors: list[CellError]) -> dict[str, Any]:
    """The registration's fields from the row's cells, the blank ones left out."""
    cells = row.cells
    data: dict[str, Any] = {
        f: cells[f] for f in ("name", "phone", "address", "notes") if cells.get(f)
    }
    if id_number := cells.get("id_number"):
        if "id_number" in row.numbers:
            errors.append(_error("id_number", "id_number_as_number"))
        elif _packed(id_number) == EXAMPLE["id_number"]:
            errors.append(_error("name", "example_row"))
        else:
            data["id_number"] = id_number
    if labels := [t for t in _SEPARATORS.split(cells.get("groups", "")) if t]:
        if all(t in _GROUPS for t in labels):
            data["groups"] = [_GROUPS[t] for t in labels]
        else:
            errors.append(_error("groups", "unknown_group"))
    year = _year(cells.get("birth_year", "")) or _birth_year(data.get("id_number"))
    if year:
        data["birth_year"] = year
    elif not id_number:  # else it is read from the ID number once that is right
        errors.append(_error("birth_year", "birth_year_missing"))
    consent = _packed(cells.get("consent", ""))
    if consent in _CONSENT:
        data["consent"] = {"given_by": _CONSENT[consent]}
    elif consent not in _NO_CONSENT:
        errors.append(_error("consent", "consent_value"))
    return data


def _packed(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).upper()


_YEAR = re.compile(r"(\d{4})(?:[年.\-/]\S*)?")


def _year(text: str) -> str:
    """The year of a birth year or date as 台账 write them: 1948, 1948年, 1948.03, 1948-03-05,
    1948年3月; anything else as it is, for the registration to refuse."""
    text = unicodedata.normalize("NFKC", text).strip()
    found = _YEAR.fullmatch(text)
    return found[1] if found else text


def _birth_year(id_number: str | None) -> str | None:
    if not id_number:
        return None
    try:
        return str(birth_date(valid_id_number(id_number)).year)
    except PydanticCustomError:
        return None  # the ID number's own error says why


def _community(
    row: Row,
    places: list[dict[str, Any]],
    street: str | None,
    chosen: str | None,
    errors: list[CellError],
) -> str | None:
    """The community of the row, by id or name (and street, for two of one name), else the one
    chosen for the file; None, with the error, when there is none such, or the token's street
    does not take it in."""
    typed = _squeezed(row.cells.get("community", ""))
    if not typed:
        if chosen is None:
            errors.append(_error("community", "community_missing"))
        return chosen
    found = [p for p in places if p["community_id"] == typed] or [
        p for p in places if _squeezed(p["name"]) == typed
    ]
    if len(found) > 1 and (on := _squeezed(row.cells.get("street", ""))):
        found = [p for p in found if _squeezed(p["street"]) == on]
    if len(found) > 1 and street is not None:
        found = [p for p in found if p["street"] == street] or found
    if len(found) != 1:
        kind = "community_ambiguous" if found else "unknown_community"
        errors.append(_error("community", kind))
        return None
    place = found[0]
    if street is not None and place["street"] != street:
        message = import_words.outside(street, place["street"])
        errors.append(_error("community", "outside_street", message))
        return None
    return str(place["community_id"])


def _squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _command(data: dict[str, Any], errors: list[CellError]) -> residents.RegisterResident | None:
    try:
        return residents.RegisterResident.model_validate(data)
    except ValidationError as invalid:
        told = {e.field for e in errors}
        found = invalid.errors()
        if "id_number" in told | {str(e["loc"][0]) for e in found if e["loc"]}:
            told.add("birth_year")  # to be read from the ID number once that is right
        for e in found:
            name = str(e["loc"][0]) if e["loc"] else "name"
            if name not in told:
                told.add(name)
                errors.append(_error(name, e["type"], **(e.get("ctx") or {})))
        return None


def _same_person(
    one: _Prepared,
    command: residents.RegisterResident,
    earlier: dict[tuple[str, str], list[tuple[int, residents.RegisterResident]]],
    id_numbers: dict[str, int],
) -> None:
    """A row of someone an earlier row of the file has, by the rules that tell a resident
    registered twice (`resident.not_registered_yet`): it is left for the first to register."""
    number = one.row.number
    if command.id_number and (first := id_numbers.get(command.id_number)):
        one.duplicate_of_row = first
        message = import_words.same_as_row(first, "id_number")
        one.errors.append(_error("id_number", "duplicate_in_file", message))
        return
    key = (command.community_id, normalised("name", command.name))
    namesakes = earlier.setdefault(key, [])
    try:
        resident.not_registered_yet(
            duplicates.namesake(UUID(int=number), command.personal_data()),
            [duplicates.namesake(UUID(int=n), other.personal_data()) for n, other in namesakes],
        )
    except RuleBroken as clash:
        first = UUID(str(clash.details["duplicate_of"])).int
        one.duplicate_of_row = first
        message = import_words.same_as_row(first, "name")
        one.errors.append(_error("name", "duplicate_in_file", message))
        return
    namesakes.append((number, command))
    if command.id_number:
        id_numbers[command.id_number] = number

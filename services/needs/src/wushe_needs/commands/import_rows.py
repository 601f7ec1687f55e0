"""The rows of a residents' spreadsheet as registrations (`residents.RegisterResident`): the
cells read as a registration takes them (the groups by their labels, the community by name or
id, the birth year from a date or the ID number, the consent by who gave it), and what the
file alone tells is wrong with a row — by column, never with the cell's content — or that an
earlier row of the file is the same person."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from wushe_events.errors import RuleBroken
from wushe_events.store import EventStore
from wushe_needs import import_words, queries
from wushe_needs.commands import duplicates, residents
from wushe_needs.domain import resident
from wushe_needs.resident_labels import GIVERS, GROUP_WORDS, GROUPS
from wushe_needs.resident_sheet import HEADERS, Row, Sheet
from wushe_needs.resident_template import EXAMPLE
from wushe_service.identity import birth_date, valid_id_number
from wushe_service.personal_data import normalised


@dataclass(frozen=True)
class CellError:
    column: str  # the column's header, as the template has it: 身份证号
    field: str  # the registration's field: id_number
    type: str  # a code, as a registration's 422 has it
    message: str  # in Chinese, for the person at the spreadsheet


@dataclass
class Prepared:
    row: Row
    errors: list[CellError]
    command: residents.RegisterResident | None = None
    duplicate_of_row: int | None = None


def cell_error(name: str, kind: str, message: str | None = None, **context: Any) -> CellError:
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


async def prepare(
    store: EventStore, sheet: Sheet, street: str | None, chosen: str | None
) -> list[Prepared]:
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
        one = Prepared(row, errors, command)
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
_GROUPS = {
    **GROUP_WORDS,
    **{label: g for g, label in GROUPS.items()},
    **{g.value: g for g in GROUPS},
}


def _fields(row: Row, errors: list[CellError]) -> dict[str, Any]:
    """The registration's fields from the row's cells, the blank ones left out."""
    cells = row.cells
    data: dict[str, Any] = {
        f: cells[f] for f in ("name", "phone", "address", "notes") if cells.get(f)
    }
    if id_number := cells.get("id_number"):
        if "id_number" in row.numbers:
            errors.append(cell_error("id_number", "id_number_as_number"))
        elif _packed(id_number) == EXAMPLE["id_number"]:
            errors.append(cell_error("name", "example_row"))
        else:
            data["id_number"] = id_number
    if labels := [t for t in _SEPARATORS.split(cells.get("groups", "")) if t]:
        if all(t in _GROUPS for t in labels):
            data["groups"] = [_GROUPS[t] for t in labels]
        else:
            errors.append(cell_error("groups", "unknown_group"))
    year = _year(cells.get("birth_year", "")) or _birth_year(data.get("id_number"))
    if year:
        data["birth_year"] = year
    elif not id_number:  # else it is read from the ID number once that is right
        errors.append(cell_error("birth_year", "birth_year_missing"))
    consent = _packed(cells.get("consent", ""))
    if consent in _CONSENT:
        data["consent"] = {"given_by": _CONSENT[consent]}
    elif consent not in _NO_CONSENT:
        errors.append(cell_error("consent", "consent_value"))
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
            errors.append(cell_error("community", "community_missing"))
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
        errors.append(cell_error("community", kind))
        return None
    place = found[0]
    if street is not None and place["street"] != street:
        message = import_words.outside(street, place["street"])
        errors.append(cell_error("community", "outside_street", message))
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
                errors.append(cell_error(name, e["type"], **(e.get("ctx") or {})))
        return None


def _same_person(
    one: Prepared,
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
        one.errors.append(cell_error("id_number", "duplicate_in_file", message))
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
        one.errors.append(cell_error("name", "duplicate_in_file", message))
        return
    namesakes.append((number, command))
    if command.id_number:
        id_numbers[command.id_number] = number

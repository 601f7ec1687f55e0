"""The residents' spreadsheet (居民台账) an office already keeps, read for an import: an .xlsx,
or a .csv as Excel saves it (UTF-8 with or without BOM, or GBK on Chinese Windows), its
columns found by their Chinese headers (`resident_template` is the file to fill in).

Nothing here is logged or put into a message but row numbers and column names: the cells are
personal data."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import openpyxl

from wushe_events.errors import InvalidReference
from wushe_service.uploads import too_large_words

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # residents in one file: a community's 台账 has hundreds
MAX_COLUMNS = 60
HEADER_WITHIN = 10  # rows: a 台账 often has a title row or two above its headers
END_AFTER_BLANK = 500  # rows: the rest of a sheet formatted down to row 1048576 is empty
UNPACKED_LIMIT = 100 * 1024 * 1024  # an .xlsx is a zip: no more than this unpacked


class Column(NamedTuple):
    field: str  # the field of a registration it fills (`community`, `street`: looked up)
    header: str  # as the template heads it
    aliases: tuple[str, ...]  # as offices' own 台账 head it too


COLUMNS = (
    Column("name", "姓名", ("居民姓名",)),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    Column("birth_year", "出生年份", ("出生年", "出生年月", "出生日期")),
    Column("phone", "手机号", ("手机号码", "手机", "电话", "联系电话", "电话号码")),
    Column("address", "地址", ("住址", "家庭住址", "居住地址", "现住址")),
    Column("groups", "人群类别", ("类别", "人群", "服务对象类别", "对象类别")),
    Column("community", "社区", ("所在社区", "社区/村", "社区村", "村/社区")),
    Column("street", "街道", ("所在街道", "街道/镇", "街道/乡镇", "乡镇/街道")),
    Column("consent", "同意", ("同意人", "同意保存个人信息", "个人信息同意")),
    Column("notes", "备注", ()),
)
HEADERS = {c.field: c.header for c in COLUMNS}
_BY_HEADER = {h: c.field for c in COLUMNS for h in (c.header, *c.aliases)}
REQUIRED = ("name", "groups")  # and 社区 unless a community is chosen for the whole file


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it, the header row counted
    cells: dict[str, str]  # by field: the text of each column the file has
    numbers: frozenset[str] = frozenset()  # fields whose cell held a number, not text


@dataclass(frozen=True)
class Sheet:
    columns: list[str]  # the fields of the columns found, in the file's order
    rows: list[Row]
    ignored: list[str] = field(default_factory=list)  # headers of columns not used


def refuse(code: str, message: str) -> InvalidReference:
    return InvalidReference("file", message, code=code)


def read(content: bytes) -> Sheet:
    """The residents of a file as uploaded; a 422 on `file` naming what is wrong with it."""
    if len(content) > MAX_BYTES:
        raise refuse("file_too_large", too_large_words(MAX_BYTES))
    if not content.strip():
        raise refuse("file_empty", "是空的：请选择居民台账文件")
    if content.startswith(b"PK\x03\x04"):
        return _sheet(_xlsx_rows(content))
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(
            "file_xls", "不能读取旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再导入"
        )
    return _sheet(_csv_rows(content))


def _xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as packed:
            if sum(i.file_size for i in packed.infolist()) > UNPACKED_LIMIT:
                raise refuse("file_too_large", "解压后过大：请分成几个文件导入")
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return _until_blank(_residents_sheet(book).iter_rows(**_BOUNDS))
        finally:
            book.close()
    except InvalidReference:
        raise
    except Exception:  # a damaged file, or a zip that is no workbook: whatever openpyxl says
        raise refuse(
            "file_unreadable", "无法读取这个 .xlsx 文件：请用 Excel 打开检查后重新保存"
        ) from None


_BOUNDS = {"max_col": MAX_COLUMNS, "values_only": True}


def _residents_sheet(book: Any) -> Any:
    """The sheet shown on opening the file, or else the first with a header row: a template
    saved while its 填写说明 was on screen still has its residents on 居民台账."""
    sheets = [book.active, *(s for s in book.worksheets if s is not book.active)]
    for sheet in sheets:
        head = sheet.iter_rows(max_row=HEADER_WITHIN, **_BOUNDS)
        if any(set(REQUIRED) <= set(_fields(row).values()) for row in head):
            return sheet
    return book.active


def _csv_rows(content: bytes) -> list[tuple[Any, ...]]:
    # Excel's 另存为 Unicode 文本 is UTF-16 with a BOM; else UTF-8, or GB 18030 (GBK, and more).
    utf_16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf_16 else ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refuse(
            "file_encoding", "无法识别文件的编码：请保存为 .xlsx，或 UTF-8、GBK 编码的 CSV"
        )
    return _text_rows(text)


def _text_rows(text: str) -> list[tuple[Any, ...]]:
    """Rows of comma-separated values, or of tab-separated ones (Unicode 文本, a copy from a
    sheet), as the first line says."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _until_blank(tuple(r[:MAX_COLUMNS]) for r in reader)
    except csv.Error:
        raise refuse(
            "file_unreadable", "无法读取这个 CSV 文件：请用 Excel 打开检查后重新保存"
        ) from None


def _until_blank(rows: Any) -> list[tuple[Any, ...]]:
    """The rows up to the last one with anything in it (blank rows between kept, as numbered),
    refused once there are more residents than an import takes."""
    kept: list[tuple[Any, ...]] = []
    filled, blank = 0, 0
    for row in rows:
        if any(_text(v) for v in row):
            kept.extend([()] * blank)
            kept.append(tuple(row))
            filled, blank = filled + 1, 0
            if filled > MAX_ROWS + HEADER_WITHIN:
                break
        else:
            blank += 1
            if blank > END_AFTER_BLANK:
                break
    return kept


def _sheet(rows: list[tuple[Any, ...]]) -> Sheet:
    at = next(
        (i for i, row in enumerate(rows[:HEADER_WITHIN]) if "name" in _fields(row).values()),
        None,
    )
    if at is None:
        raise refuse(
            "no_header", f"前 {HEADER_WITHIN} 行中没有找到表头：表头行须有“姓名”“人群类别”等列名"
        )
    columns = _fields(rows[at])
    repeated = sorted({HEADERS[f] for f in columns.values() if list(columns.values()).count(f) > 1})
    if repeated:
        raise refuse("repeated_columns", f"表头中有重复的列：{'、'.join(repeated)}")
    missing = [HEADERS[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise refuse("missing_columns", f"缺少必需的列：{'、'.join(missing)}")
    ignored = [_text(v) for i, v in enumerate(rows[at]) if _text(v) and i not in columns]
    found = [
        _row(number, row, columns)
        for number, row in enumerate(rows[at + 1 :], start=at + 2)
        if any(_text(v) for v in row)
    ]
    if len(found) > MAX_ROWS:
        raise refuse("too_many_rows", f"超过 {MAX_ROWS} 行居民的上限：请分成几个文件导入")
    if not found:
        raise refuse("no_rows", "表头下没有居民")
    return Sheet(list(columns.values()), found, ignored)


def _fields(row: tuple[Any, ...]) -> dict[int, str]:
    """The fields of a header row's cells, by position: 身份证号码 and 身份证号 are one."""
    found = {}
    for i, value in enumerate(row):
        if isinstance(value, str) and (name := _BY_HEADER.get(_header(value))):
            found[i] = name
    return found


def _header(text: str) -> str:
    """A header as compared: no spaces, full-width folded, without marks and notes (*姓名,
    姓名（必填）, 社区（村）, 身份证号(18位))."""
    text = re.sub(r"\s|\*", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\([^()]*\)$", "", text)


def _row(number: int, row: tuple[Any, ...], columns: dict[int, str]) -> Row:
    cells, numbers = {}, set()
    for i, name in columns.items():
        value = row[i] if i < len(row) else None
        cells[name] = _text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            numbers.add(name)
    return Row(number, cells, frozenset(numbers))


def _text(value: Any) -> str:
    """A cell as text: a whole number without its `.0` (Excel keeps numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()

"""The audit as CSV for Excel (审计查询 downloads): headed and worded in Chinese, times at the
office's clock, UTF-8 with a BOM (which Excel needs to read it as UTF-8), each cell through
`spreadsheet.cell`. People are named by id and by their token's name, never by their
personal data; events without their data. A file is streamed as its rows are read, a batch
at a time: a year of an office's log is never held whole, in the database's answer or here."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.responses import StreamingResponse

from wushe_service.audit_filters import Period
from wushe_service.audit_words import FIELDS, ROLES
from wushe_service.runtime import Runtime
from wushe_service.spreadsheet import cell


def _zone(zone: ZoneInfo) -> str:
    # China's one time zone by the name its clocks give it; another office's by its own.
    return "北京时间" if str(zone) == "Asia/Shanghai" else str(zone)


def _at(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _role(role: str | None) -> str:
    return ROLES.get(role or "", role or "")


# Rows read from the database and written out at a time: a few hundred kilobytes of CSV.
BATCH = 1000


async def _text(
    headings: list[str],
    rows: AsyncIterable[dict[str, Any]],
    line: Callable[[dict[str, Any]], list[Any]],
) -> AsyncIterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(headings)
    written = 0
    async for row in rows:
        writer.writerow([cell("" if v is None else v) for v in line(row)])
        written += 1
        if written % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _read(r: dict[str, Any], zone: ZoneInfo) -> list[Any]:
    reader = r["reader_name"] or "（令牌已不存在）"
    return [
        _at(r["read_at"], zone), reader, _role(r["reader_role"]), r["reader"],
        r["reader_person_id"], r["subject_id"], r["purpose_name"], r["purpose"],
        r["correlation_id"], r["read_id"],
    ]  # fmt: skip


def reads(rows: AsyncIterable[dict[str, Any]], zone: ZoneInfo) -> AsyncIterator[str]:
    """查阅记录: who was shown whose personal data, when and why."""
    headings = [
        f"查阅时间（{_zone(zone)}）", "查阅人（令牌名称）", "角色", "查阅人令牌编号",
        "查阅人人员编号", "被查阅人编号", "用途", "用途（原文）", "请求编号", "记录编号",
    ]  # fmt: skip
    return _text(headings, rows, lambda r: _read(r, zone))


def _withheld(withheld: dict[str, int]) -> str:
    """What a list withheld, in words: 标题（10字）；预算明细第1项（6字）."""
    said = []
    for path, length in withheld.items():
        top, _, index = path.partition(".")
        name = FIELDS.get(top, top) + (f"第{int(index.split('.')[0]) + 1}项" if index else "")
        said.append(f"{name}（{length}字）")
    return "；".join(said)


def _event(r: dict[str, Any], zone: ZoneInfo) -> list[Any]:
    # An event without a token was appended by the service itself (an expired wish).
    actor = r["actor_name"] or ("系统自动" if r["actor"] is None else "（令牌已不存在）")
    return [
        _at(r["recorded_at"], zone), r["type_name"], r["aggregate_name"], r["aggregate_id"],
        actor, _role(r["actor_role"]), r["actor"], r["actor_person_id"], r["type"],
        r["event_id"], r["correlation_id"], _withheld(r["withheld"]),
    ]  # fmt: skip


def events(rows: AsyncIterable[dict[str, Any]], zone: ZoneInfo) -> AsyncIterator[str]:
    """操作记录: what was done, to which record, by whom: no event data, the text a list
    withholds (audit_withheld) named with its length."""
    headings = [
        f"操作时间（{_zone(zone)}）", "操作", "记录类别", "记录编号", "操作人（令牌名称）",
        "角色", "操作人令牌编号", "操作人人员编号", "事件类型", "事件编号", "请求编号",
        "隐去的文字（审计查询中逐条查看）",
    ]  # fmt: skip
    return _text(headings, rows, lambda r: _event(r, zone))


def response(
    text: AsyncIterator[str], what: str, runtime: Runtime, within: Period
) -> StreamingResponse:
    """The CSV as a download named for the office, the service, what it holds and its days."""
    days = [d.isoformat() for d in (within.first, within.last) if d is not None]
    name = "-".join([runtime.office, runtime.service, what, *days]) + ".csv"
    disposition = f'attachment; filename="{name}"'
    return StreamingResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )

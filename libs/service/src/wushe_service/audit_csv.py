"""The audit as CSV for Excel (审计查询 downloads): headed and worded in Chinese, times at the
office's clock, UTF-8 with a BOM (which Excel needs to read it as UTF-8), each cell through
`spreadsheet.cell`. People are named by id and by their token's name, never by their
personal data; events without their data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Response

from wushe_service.audit_filters import Period
from wushe_service.audit_words import ROLES
from wushe_service.runtime import Runtime
from wushe_service.spreadsheet import cell


def _zone(zone: ZoneInfo) -> str:
    # China's one time zone by the name its clocks give it; another office's by its own.
    return "北京时间" if str(zone) == "Asia/Shanghai" else str(zone)


def _at(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _role(role: str | None) -> str:
    return ROLES.get(role or "", role or "")


def _text(headings: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([cell("" if v is None else v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def _read(r: dict[str, Any], zone: ZoneInfo) -> list[Any]:
    reader = r["reader_name"] or "（令牌已不存在）"
    return [
        _at(r["read_at"], zone), reader, _role(r["reader_role"]), r["reader"],
        r["reader_person_id"], r["subject_id"], r["purpose_name"], r["purpose"],
        r["correlation_id"], r["read_id"],
    ]  # fmt: skip


def reads(rows: list[dict[str, Any]], zone: ZoneInfo) -> str:
    """查阅记录: who was shown whose personal data, when and why."""
    headings = [
        f"查阅时间（{_zone(zone)}）", "查阅人（令牌名称）", "角色", "查阅人令牌编号",
        "查阅人人员编号", "被查阅人编号", "用途", "用途（原文）", "请求编号", "记录编号",
    ]  # fmt: skip
    return _text(headings, (_read(r, zone) for r in rows))


def _event(r: dict[str, Any], zone: ZoneInfo) -> list[Any]:
    # An event without a token was appended by the service itself (an expired wish).
    actor = r["actor_name"] or ("系统自动" if r["actor"] is None else "（令牌已不存在）")
    return [
        _at(r["recorded_at"], zone), r["type_name"], r["aggregate_name"], r["aggregate_id"],
        actor, _role(r["actor_role"]), r["actor"], r["actor_person_id"], r["type"],
        r["event_id"], r["correlation_id"],
    ]  # fmt: skip


def events(rows: list[dict[str, Any]], zone: ZoneInfo) -> str:
    """操作记录: what was done, to which record, by whom (no event data)."""
    headings = [
        f"操作时间（{_zone(zone)}）", "操作", "记录类别", "记录编号", "操作人（令牌名称）",
        "角色", "操作人令牌编号", "操作人人员编号", "事件类型", "事件编号", "请求编号",
    ]  # fmt: skip
    return _text(headings, (_event(r, zone) for r in rows))


def response(text: str, what: str, runtime: Runtime, within: Period) -> Response:
    """The CSV as a download named for the office, the service, what it holds and its days."""
    days = [d.isoformat() for d in (within.first, within.last) if d is not None]
    name = "-".join([runtime.office, runtime.service, what, *days]) + ".csv"
    disposition = f'attachment; filename="{name}"'
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )

"""The fact tables as CSV, for Excel: the rows of one office, street or community and period;
with codes (for programs, the default) or in Chinese (for people: headers, labels, yuan, 是/否)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any, Literal

import asyncpg

from wushe_reporting import labels
from wushe_reporting.projections import TABLES
from wushe_reporting.queries import states
from wushe_reporting.queries.filters import OFFICE_TIME, Filters
from wushe_service import spreadsheet
from wushe_service.money import yuan

# The moment each table's rows fall in a period by: the one its figures count by.
PERIOD = {
    "surveys": "surveyed_at",
    "needs": "identified_at",
    "wishes": "posted_at",
    "pairings": "established_at",
    "activities": "starts_at",
    "attendance": "checked_in_at",
    "hours": "verified_at",
    "certificates": "issued_at",
    "fund_flows": "happened_at",
    "grants": "submitted_at",
    "reviews": "happened_at",
    "allocations": "allocated_at",
    "disbursements": "requested_at",
    "expenses": "reported_at",
    "evaluations": "evaluated_at",
}

# Bookkeeping, and whose each need and wish is: the resident's id would make them a row per
# person (the needs export to anyone only while no count is withheld: projections.ROW_PER_NEED).
UNEXPORTED = {
    "version",
    "placed_version",
    "resident_version",
    ("needs", "resident_id"),
    ("wishes", "resident_id"),
}

Lang = Literal["en", "zh"]

# The labels (labels.json `enums`) each column's codes read as in Chinese: by column, or by
# table and column where one name holds different codes.
ENUMS = {
    "groups": "group",
    "age_band": "age_band",
    "method": "method",
    "physical": "level",
    "psychological": "level",
    "material": "level",
    "spiritual": "level",
    "dimension": "dimension",
    "urgency": "urgency",
    "category": "category",
    "certification": "certification",
    "status": "volunteer_status",
    "source": "hours_source",
    "purpose": "consent_purpose",
    "given_by": "given_by",
    "withdrawal_reason": "withdrawal_reason",
    "role": "member_role",
    ("expenses", "category"): "expense_category",
    ("teams", "kind"): "team_kind",
    ("sites", "kind"): "site_kind",
    ("fund_flows", "kind"): "flow_kind",
    ("reviews", "kind"): "review_kind",
    ("needs", "state"): "need_state",
    ("wishes", "state"): "wish_state",
    ("activities", "state"): "activity_state",
    ("signups", "state"): "signup_state",
    ("hours", "state"): "hours_state",
    ("grants", "state"): "grant_state",
    ("rounds", "state"): "round_state",
    ("disbursements", "state"): "disbursement_status",
}


async def export_csv(
    db: asyncpg.Connection, table: str, f: Filters | None = None, lang: Lang = "en"
) -> str:
    """A fact table as CSV, UTF-8 with a byte-order mark so that Excel reads Chinese right;
    the rows of the filter's office, street, community and period (Unfilterable: the table
    has no community, or no moment, to filter by). `en`: column names and codes as stored, money
    in fen, True/False; `zh`: Chinese headers and labels, money in yuan, 是/否."""
    if table not in TABLES:
        raise KeyError(table)
    every = await _columns(db, table)
    sql, args = _where(table, f or Filters(), "community_id" in every)
    columns = [c for c in every if c not in UNEXPORTED and (table, c) not in UNEXPORTED]
    derived = states.exported(table)
    selected = ", ".join(f'{derived.get(c, f"{table}.{c}")} AS "{c}"' for c in columns)
    rows = await db.fetch(f"SELECT {selected} FROM {table} WHERE {sql} ORDER BY 1, 2", *args)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    if lang == "zh":
        headers = labels.labels()["columns"]["zh-CN"]
        writer.writerow([headers[c] for c in columns])
        for row in rows:
            writer.writerow([spreadsheet.cell(_zh_value(table, c, row[c])) for c in columns])
    else:
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet.cell(_csv_value(row[c])) for c in columns])
    return out.getvalue()


def file_name(table: str, f: Filters) -> str:
    """The export's file name after its selection, as the dashboard names its downloads:
    `needs-yuyao-阳明街道-fengshan-2026-09-2026-10.csv` (the parts given, in that order); a
    period bounded on one side only says which: `needs-from-2026-09.csv`, `needs-to-2026-09.csv`."""
    last_month = f.end and f.end - timedelta(days=1)
    first, last = (m and m.strftime("%Y-%m") for m in (f.start, last_month))
    period = [first, last] if first and last else [first and f"from-{first}", last and f"to-{last}"]
    parts = [table, f.office, f.street, f.community, *period]
    # A street is free text: nothing a file system or the header's quoting would take amiss.
    return "-".join(re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "_", p) for p in parts if p) + ".csv"


def _zh_value(table: str, column: str, value: Any) -> Any:
    """A value as a reader of Chinese reads it: labels for codes, yuan with two decimals for
    fen (exact: no float between), 是/否, a list joined by 、."""
    kind = ENUMS.get((table, column)) or ENUMS.get(column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return labels.enum("boolean", value)
    if column.endswith("_fen"):
        return yuan(value)
    if kind and isinstance(value, list):
        return "、".join(labels.enum(kind, v) for v in value)
    if kind:
        return labels.enum(kind, value)
    return _csv_value(value)


class Unfilterable(ValueError):
    """A filter the table cannot take (it has no community, or no moment): the parameter,
    and why in English (the message) and in Chinese (`chinese`, for a page)."""

    def __init__(self, field: str, english: str, chinese: str) -> None:
        super().__init__(english)
        self.field = field
        self.chinese = chinese


def _where(table: str, f: Filters, placed: bool) -> tuple[str, list[Any]]:
    named = f"数据表“{labels.enum('table', table)}”（{table}.csv）"
    for name, value, zh in (("community", f.community, "社区"), ("street", f.street, "街道")):
        if value is not None and not placed:
            raise Unfilterable(
                name,
                f"{name}: the table {table} has no community_id",
                f"{named}没有社区一栏，不能按{zh}筛选，请去掉这个条件",
            )
    if (f.start or f.end) and table not in PERIOD:
        given = "from" if f.start else "to"
        raise Unfilterable(
            given,
            f"{given}: the table {table} has no moment to take a period by",
            f"{named}没有可按月份筛选的时间，不能按时期筛选，请去掉这个条件",
        )
    sql, args = f.scope(table)
    if table in PERIOD:
        sql += " AND " + f.period(f"{table}.{PERIOD[table]}", args)
    return sql, args


def _csv_value(value: Any) -> Any:
    """A value as Excel reads it best: a time in office time without its offset (Excel takes
    `2026-10-07 10:00:00` for a time, `…+00:00` for text), a list joined by `|`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(OFFICE_TIME).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return "|".join(value)
    return value


async def tables_with_community(db: asyncpg.Connection) -> set[str]:
    """The fact tables whose rows name a community (they export one community's rows)."""
    rows = await db.fetch(
        """SELECT table_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND column_name = 'community_id'"""
    )
    return {r["table_name"] for r in rows} & set(TABLES)


async def _columns(db: asyncpg.Connection, table: str) -> list[str]:
    rows = await db.fetch(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position""",
        table,
    )
    return [r["column_name"] for r in rows]

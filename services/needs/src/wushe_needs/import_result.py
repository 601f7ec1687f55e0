"""The check of a residents' spreadsheet as a spreadsheet (检查结果), to correct in Excel: the
rows as read under the template's headers, each with its status and what is wrong with it, the
wrong cells filled red with the reason as a comment. Corrected, it is imported as it is (its
row numbers, status and problems are columns an import does not use)."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from wushe_needs.commands.resident_import import Report, RowReport
from wushe_needs.resident_sheet import HEADERS

STATUS = {
    "ok": "可导入",
    "error": "有误",
    "already_registered": "已登记，跳过",
    "possible_duplicate": "可能重复，未导入",
    "erased": "已申请删除个人信息，未导入",
    "registered": "已导入",
}
WRONG = PatternFill("solid", fgColor="FFFDECEA")
RED = Font(color="FFB42318")
AMBER = Font(color="FF9A6700")  # for the social worker to decide, not to correct
AS_TEXT = {HEADERS["id_number"], HEADERS["phone"]}  # Excel would keep 15 digits of a number


def checked_xlsx(report: Report) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "检查结果"
    sheet.append(["原行号", "状态", *report.columns, "问题"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        _append(sheet, row, report.columns)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(
    sheet: openpyxl.worksheet.worksheet.Worksheet, row: RowReport, columns: list[str]
) -> None:
    cells = row.cells or {}
    problems = [f"{e.column}：{e.message}" for e in row.errors]
    if row.note:
        problems.append(row.note)
    sheet.append(
        [
            row.row,
            STATUS[row.status.value],
            *(cells.get(c, "") for c in columns),
            "；".join(problems),
        ]
    )
    written = sheet[sheet.max_row]
    wrong = {e.column: e.message for e in row.errors}
    for column, cell in zip(columns, written[2:], strict=False):
        if column in AS_TEXT:
            cell.number_format = "@"
        if column in wrong:
            cell.fill = WRONG
            cell.comment = Comment(wrong[column], "五社联动")
    if row.errors:
        written[1].font = RED
    elif row.status.value == "possible_duplicate":
        written[1].font = AMBER

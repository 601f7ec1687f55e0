"""Reporting's own refusals (an unknown table or place, a malformed filter), worded twice:
in English for programs (the JSON's `detail`, as ever) and in Chinese for a browser.

An export is opened by people, from the dashboard's links (`error_pages.FOR_PEOPLE`): its
refusals then read as a page in Chinese, as the validation errors and 401/403 already do
(wushe_service's handlers). One handler chooses, so that no route asks `wants_page` itself.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response

from wushe_reporting import labels
from wushe_reporting.projections import TABLES
from wushe_service import error_pages


class Refusal(HTTPException):
    """An HTTP error with `detail` for programs and `lines` for a page: (the parameter as
    typed, or "" for the address itself; why, in Chinese)."""

    def __init__(self, status: int, detail: str, *lines: tuple[str, str]) -> None:
        super().__init__(status, detail)
        self.lines = list(lines)


async def answer(request: Request, error: Exception) -> Response:
    assert isinstance(error, Refusal)
    if error_pages.wants_page(request):
        # An export has no page to show whole: no 查看全部 link (`serves_pages`).
        retry = error_pages.serves_pages(request)
        return error_pages.page(error.status_code, error.lines, retry=retry)
    return await http_exception_handler(request, error)


def tables_in_chinese() -> str:
    """The tables that export, named as the dashboard names them, with their files:
    社区/村 communities.csv、居民（无个人信息） residents.csv…"""
    return "、".join(f"{labels.enum('table', t)} {t}.csv" for t in TABLES)


def no_such_table(table: str, detail: str) -> Refusal:
    reason = f"没有名为“{table}”的数据表，请检查网址。可导出的表：{tables_in_chinese()}"
    return Refusal(404, detail, ("", reason))


def without_csv(table: str, detail: str) -> Refusal:
    """A table asked for without `.csv` (or with another ending): how to ask for it."""
    how = "每张表的导出网址以 .csv 结尾：/api/export/<表名>.csv"
    if table in TABLES:
        said = f"数据表“{labels.enum('table', table)}”请以 /api/export/{table}.csv 导出"
    else:
        said = f"没有名为“{table}”的数据表，请检查网址"
    return Refusal(404, detail, ("", f"{said}。{how}。可导出的表：{tables_in_chinese()}"))

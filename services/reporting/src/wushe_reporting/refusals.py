"""Reporting's own refusals (an unknown table or place, a malformed filter), worded twice:
in English for programs (the JSON's `detail`, as ever) and in Chinese for a browser.

An export is opened by people, from the dashboard's links (`error_pages.FOR_PEOPLE`): its
refusals then read as a page in Chinese, as the validation errors and 401/403 already do
(wushe_service's handlers, which answer any `error_pages.Refusal` so). Here: the wording of
those that need more than a line.
"""

from __future__ import annotations

from wushe_reporting import labels
from wushe_reporting.projections import TABLES
from wushe_service.error_pages import Refusal


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


def rows_per_need(table: str, least: int) -> Refusal:
    """A table with a row per need asked for without a token while small counts are withheld:
    why it is staff's, and where anyone reads the needs' counts instead."""
    detail = (
        f"table {table}: a row per need, each a count of one, exports only with a token of an"
        f" auditor, a viewer or an admin while counts below {least} are withheld"
        " (WUSHE_PUBLIC_MIN_COUNT; Authorization: Bearer <token>); anyone reads the needs'"
        " counts, rounded, in /api/figures"
    )
    reason = (
        f"{labels.enum('table', table)}每行是一条需求，数量少于 {least} 时会指向个人："
        "只对持审计、查看或管理员令牌的工作人员导出。未登录可在统计看板查看取整后的需求数。"
    )
    return Refusal(401, detail, ("", reason), headers={"WWW-Authenticate": "Bearer"})

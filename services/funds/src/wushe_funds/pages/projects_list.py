"""The projects list (项目清单) as a page: each community's granted micro-venture projects,
what was approved, paid and spent, and which have gone three months without an update."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from html import escape
from typing import Any

from wushe_funds import purposes
from wushe_funds.pages import layout
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan


def projects_list_page(
    listed: dict[str, Any],
    filters: dict[str, Any],
    office_name: str,
    zone: tzinfo,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """`listed` is a page of the public projects list; `filters` the query it answers;
    `office_name` the office as its public pages name it; `zone` the office's time zone;
    `contact` whom a team asks to apply for a grant, if the office says; `urls` the other
    services' public addresses (WUSHE_PUBLIC_URLS)."""

    link = public_pages.Links("/public/projects", filters)
    totals = listed["totals"]
    sections = "".join(_projects_of(c, zone) for c in listed["items"]) or "<p>暂无项目</p>"
    due = (
        f" · <strong class='due'>{totals['update_due']} 个实施中的项目逾三个月未更新</strong>"
        if totals["update_due"]
        else ""
    )
    more = link.next_page(listed["next_cursor"])
    return public_pages.document(
        "项目清单",
        layout.LIST_STYLE + layout.PHONE_STACK,
        f"""{layout.nav("/public/projects", urls)}
<h1>项目清单</h1>
<p class="meta">{escape(office_name)} · 经评审立项的社区微创投项目：承接的团队或组织、资助金额、
已拨付和已支出的资金、实施状态与成效。申报中和未立项的申请不列入。</p>
<p>{totals["communities"]} 个社区 · {totals["projects"]} 个项目 ·
立项金额 ¥{yuan(totals["approved_fen"])} · 已拨付 ¥{yuan(totals["disbursed_fen"])}{due}</p>
{layout.apply(contact)}
{sections}
{more}
{link.json()}""",
    )


PROJECT_COLUMNS = (
    "项目",
    "承接团队/组织",
    "项目批次与基金",
    "状态",
    "立项（元）",
    "已拨付（元）",
    "已支出（元）",
    "成效",
    "公示",
)


def _projects_of(item: dict[str, Any], zone: tzinfo) -> str:
    totals = item["totals"]
    rows = "".join(_project_row(p, zone) for p in item["projects"])
    table = (
        f"""<table class="stack"><thead><tr>{layout.heads(PROJECT_COLUMNS)}</tr></thead>
<tbody>{rows}</tbody></table>"""
        if rows
        else "<p class='meta'>暂无项目</p>"
    )
    return f"""<section class="community">
<h2>{escape(item["community_name"])}</h2>
<p class="meta">{escape(item["street"])} · {totals["projects"]} 个项目 ·
立项 ¥{yuan(totals["approved_fen"])} · 已拨付 ¥{yuan(totals["disbursed_fen"])}</p>
{table}
</section>"""


def _project_row(p: dict[str, Any], zone: tzinfo) -> str:
    team = escape(p["team_name"] or "—")
    if p["team_kind_label"]:
        team += f"<br><span class='meta'>{escape(p['team_kind_label'])}</span>"
    theme = f"<br><span class='meta'>主题：{escape(p['theme'])}</span>" if p["theme"] else ""
    needs = f"<br><span class='meta'>回应需求 {p['needs_answered']} 项"
    if p["need_category_labels"]:
        needs += f"（{escape('、'.join(p['need_category_labels']))}）"
    needs += "</span>"
    done = ""
    if outcomes := p["outcomes"]:
        done = f"受益 {outcomes['beneficiaries']} 人次 · 活动 {outcomes['activities']} 场"
    # 慈善组织信息公开办法 art. 17: a running project is disclosed at least every 3 months.
    updated = (
        f"<br><span class='meta'>最近更新（{purposes.zone(zone)}）"
        f"{p['updated_at'].astimezone(zone):%Y-%m-%d}</span>"
    )
    if p["update_due"]:
        updated += "<br><strong class='due'>逾三个月未更新</strong>"
    fund = escape(p["fund_name"])
    cells = [
        ("", f"{escape(p['title'])}{theme}{needs if p['needs_answered'] else ''}"),
        ("", team),
        ("", f"{escape(p['round_name'] or '')}<br><span class='meta'>{fund}</span>"),
        ("", f"{escape(p['state_label'])}{updated}"),
        ("n", yuan(p["approved_fen"])),
        ("n", yuan(p["disbursed_fen"])),
        ("n", yuan(p["expenses_fen"])),
        ("", done or "—"),
        (
            "",
            f"<a href='{escape(p['disclosure_url'])}'>项目公示</a> · "
            f"<a href='{escape(p['ledger_url'])}'>基金收支</a>",
        ),
    ]
    return layout.stacked(PROJECT_COLUMNS, cells)

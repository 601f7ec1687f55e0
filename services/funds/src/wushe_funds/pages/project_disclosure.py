"""A grant's disclosure (项目公示) as a page: what the public is told of one micro-venture
project — its purpose, selection, budget, money paid and spent, and outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from html import escape
from typing import Any

from wushe_funds import purposes
from wushe_funds.domain.project import ProjectState
from wushe_funds.pages import layout
from wushe_funds.projects_list import STATE_LABELS
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan

EXPENSE_COLUMNS = ("登记日期", "类别", "金额（元）", "票据 SHA-256")


def disclosure_page(
    view: dict[str, Any], zone: tzinfo, office_name: str, urls: Mapping[str, str] | None = None
) -> public_pages.Document:
    """One grant as `queries.disclosures.disclosure` gives it: what the public is told of a
    project."""
    selection, amounts = view["selection"], view["amounts"]
    # Its days are the office's calendar's, named as the projects list names its 最近更新: an
    # approval late in a UTC evening falls on the next day in Beijing.
    clock = purposes.zone(zone)
    expense_columns = (f"登记日期（{clock}）", *EXPENSE_COLUMNS[1:])
    lines = "".join(
        f"<tr><td>{escape(line['item'])}</td><td class='n'>{yuan(line['amount_fen'])}</td></tr>"
        for line in view["budget_lines"]
    )
    # The lines add up to the amount applied for; a grant of less is said below them, lest
    # the table read as what was granted.
    budgeted = sum(line["amount_fen"] for line in view["budget_lines"])
    cut = (
        f"<p class='meta'>立项金额 ¥{yuan(amounts['approved_fen'])} 少于申请金额"
        f" ¥{yuan(amounts['requested_fen'])}：上表为申报时的预算。</p>"
        if amounts["approved_fen"] < amounts["requested_fen"]
        else ""
    )
    expenses = "".join(
        layout.stacked(
            expense_columns,
            [
                ("", f"{e['reported_at'].astimezone(zone):%Y-%m-%d}"),
                ("", escape(purposes.expense(e["category"]))),
                ("n", yuan(e["amount_fen"])),
                ("", f"<code>{escape(e['receipt_sha256'])}</code>"),
            ],
        )
        for e in view["expenses"]
    )
    outcomes = view["outcomes"]
    done = ""
    if outcomes:
        done = f"受益 {outcomes['beneficiaries']} 人次 · 活动 {outcomes['activities']} 场"
        done = f"<dt>成效</dt><dd>{done}</dd>"
    due = "（<strong class='due'>逾三个月未更新</strong>）" if view["update_due"] else ""
    mean = "—" if selection["mean_score"] is None else f"{selection['mean_score']:g}"
    fund, round_id = escape(str(view["fund_id"])), escape(str(view["round_id"]))
    json_url = f"/public/applications/{escape(str(view['application_id']))}/disclosure?format=json"
    return public_pages.document(
        f"{view['project']} · 项目公示",
        layout.DISCLOSURE_STYLE,
        f"""{layout.nav(urls=urls)}
<h1>{escape(view["project"])}</h1>
<p class="meta">{escape(office_name)} · 社区微创投项目公示 · {layout.of_grant(view)} ·
{escape(view["fund_name"] or "")}</p>
<dl>
<dt>项目目的</dt><dd>{escape(view["purpose"] or "—")}</dd>
<dt>主题</dt><dd>{escape(view["theme"] or "—")}</dd>
<dt>承接团队/组织</dt><dd>{escape(view["grantee"] or "—")}</dd>
<dt>状态</dt><dd>{escape(STATE_LABELS[ProjectState(view["project_state"])])}</dd>
<dt>遴选方式</dt><dd>资格审查、专家评审打分、集体决定（评审 {selection["reviews"]} 份，
平均分 {mean}）</dd>
<dt>立项时间（{clock}）</dt><dd>{selection["decided_at"].astimezone(zone):%Y-%m-%d}</dd>
<dt>申请金额</dt><dd>¥{yuan(amounts["requested_fen"])}</dd>
<dt>立项金额</dt><dd>¥{yuan(amounts["approved_fen"])}</dd>
<dt>已拨付</dt><dd>¥{yuan(amounts["disbursed_fen"])}（{amounts["tranches"]} 笔）</dd>
<dt>已支出</dt><dd>¥{yuan(view["expenses_fen"])}</dd>
{done}
<dt>最近更新（{clock}）</dt><dd>{view["updated_at"].astimezone(zone):%Y-%m-%d}{due}</dd>
</dl>
<h2>申报预算</h2>
<table><thead><tr><th>用途</th><th>金额（元）</th></tr></thead>
<tbody>{lines or "<tr><td colspan='2'>—</td></tr>"}</tbody>
<tfoot><tr><th>合计</th><th class='n'>{yuan(budgeted)}</th></tr></tfoot></table>
{cut}
<h2>支出</h2>
<table class="stack"><thead><tr>{layout.heads(expense_columns)}</tr></thead>
<tbody>{expenses or "<tr><td colspan='4'>暂无支出</td></tr>"}</tbody></table>
<p class="meta">票据的 SHA-256 可与票据原件的扫描件核对。
<a href="/public/funds/{fund}/ledger">基金收支</a> ·
<a href="/public/rounds/{round_id}/disclosure">项目批次</a> ·
<a href="{json_url}">数据（JSON）</a></p>""",
    )

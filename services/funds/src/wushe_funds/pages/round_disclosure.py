"""A grant round's disclosure (项目批次公示) as a page: its budget, communities' envelopes
and grants."""

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


def _round_state(view: dict[str, Any]) -> str:
    """Its state, with why it was cancelled or closed before its deadline (a published code,
    in words where they are known)."""
    if view["cancelled_because"]:
        code = view["cancelled_because"]
        return f"已取消（{escape(purposes.CANCELLATIONS.get(code, code))}）"
    if view["closed_early_because"]:
        code = view["closed_early_because"]
        return f"已提前截止（{escape(purposes.CLOSINGS.get(code, code))}）"
    return purposes.ROUND_STATES.get(view["state"], escape(view["state"]))


def _criteria(codes: list[str]) -> str:
    """What the reviewers score, in words where they are known, and how it counts."""
    named = "、".join(escape(purposes.CRITERIA.get(code, code)) for code in codes)
    return f"{named}（每项 0–100 分，项目得分为各项的平均分）"


ENVELOPE_COLUMNS = ("社区", "额度（元）", "已立项（元）", "余额（元）")
GRANT_COLUMNS = ("项目", "社区", "承接团队/组织", "状态", "立项（元）", "已拨付（元）")


def _grant_row(g: dict[str, Any]) -> str:
    disclosure = f"/public/applications/{escape(str(g['application_id']))}/disclosure"
    cells = [
        ("", f"<a href='{disclosure}'>{escape(g['project'])}</a>"),
        ("", layout.of_grant(g)),
        ("", escape(g["grantee"] or "—")),
        ("", escape(STATE_LABELS[ProjectState(g["project_state"])])),
        ("n", yuan(g["amounts"]["approved_fen"])),
        ("n", yuan(g["amounts"]["disbursed_fen"])),
    ]
    return layout.stacked(GRANT_COLUMNS, cells)


def round_disclosure_page(
    view: dict[str, Any], zone: tzinfo, office_name: str, urls: Mapping[str, str] | None = None
) -> public_pages.Document:
    """A round as `queries.disclosures.round_disclosure` gives it: its budget, its communities'
    envelopes and every grant it made."""
    envelopes = "".join(
        layout.stacked(
            ENVELOPE_COLUMNS,
            [
                ("", layout.place(c["community_id"], c["name"], c["street"])),
                ("n", yuan(c["budget_fen"])),
                ("n", yuan(c["allocated_fen"])),
                ("n", yuan(c["left_fen"])),
            ],
        )
        for c in view["communities"]
    )
    envelope_table = (
        f"""<h2>各社区额度</h2>
<table class="stack"><thead><tr>{layout.heads(ENVELOPE_COLUMNS)}</tr></thead>
<tbody>{envelopes}</tbody></table>"""
        if envelopes
        else ""
    )
    grants = "".join(_grant_row(g) for g in view["grants"])
    cap = view["per_project_cap_fen"]
    name = view["name"] or "社区微创投"
    return public_pages.document(
        f"{name} · 项目批次公示",
        layout.DISCLOSURE_STYLE,
        f"""{layout.nav(urls=urls)}
<h1>{escape(name)}</h1>
<p class="meta">{escape(office_name)} · 社区微创投项目批次公示 ·
{escape(view["fund_name"] or "")}</p>
<dl>
<dt>状态</dt><dd>{_round_state(view)}</dd>
<dt>{"原定申报截止" if view["closed_early_because"] else "申报截止"}（{purposes.zone(zone)}）</dt>
<dd>{view["closes_at"].astimezone(zone):%Y-%m-%d %H:%M}</dd>
<dt>主题</dt><dd>{escape("、".join(view["themes"]))}</dd>
<dt>总预算</dt><dd>¥{yuan(view["budget_fen"])}</dd>
<dt>单个项目上限</dt><dd>{"—" if cap is None else f"¥{yuan(cap)}"}</dd>
<dt>评审评分项</dt><dd>{_criteria(view["criteria"])}</dd>
<dt>已立项</dt><dd>¥{yuan(view["allocated_fen"])}（{len(view["grants"])} 个项目）</dd>
</dl>
{envelope_table}
<h2>立项项目</h2>
<table class="stack"><thead><tr>{layout.heads(GRANT_COLUMNS)}</tr></thead>
<tbody>{grants or "<tr><td colspan='6'>暂无立项项目</td></tr>"}</tbody></table>
<p class="meta"><a href="/public/funds/{escape(str(view["fund_id"]))}/ledger">基金收支</a> ·
<a href="/public/rounds/{escape(str(view["round_id"]))}/disclosure?format=json">
数据（JSON）</a></p>""",
    )

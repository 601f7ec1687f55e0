"""The public ledger, the projects list (项目清单) and the disclosures of a grant (项目公示)
and of a round (微创投批次公示) as pages a resident can read (and print for the notice board).

Plain server-side HTML with every value escaped: no script, nothing loaded from outside.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape
from typing import Any

from wushe_funds import purposes
from wushe_funds.domain.project import ProjectState
from wushe_funds.projects_list import STATE_LABELS
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan

# On a phone the common style lets a wide table scroll in its own box; left to itself the
# browser then squeezes the words' columns to one character a line (Chinese breaks anywhere)
# while the amounts keep their width: a column of words keeps room for a few, a heading its
# line.
_PHONE_TABLES = """
@media (max-width: 720px) { td { min-width: 6em; } td.n { min-width: 0; }
  th { white-space: nowrap; } }"""

# A list a donor reads on a phone to its last column — a fund's balance and the link to its
# ledger, an entry's amounts and balance, a round's grants, a project's expenses — stacks its
# rows there, each value after its column's name, rather than leaving those columns scrolled
# out of sight to the right. The headings stay for a screen reader.
_PHONE_STACK = """
@media (max-width: 600px) {
  table.stack, table.stack :is(tbody, tr, td) { display: block; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid #999; margin-bottom: 8px; }
  table.stack td { border: 0; min-width: 0; padding: 3px 8px; text-align: left; }
  table.stack td[data-label]::before { content: attr(data-label) "："; color: #444; }
  table.stack td:empty { display: none; }
}"""


def _stacked(labels: tuple[str, ...], cells: list[tuple[str, str]]) -> str:
    """A row of `cells` (class, HTML), each named by its column's label for a phone."""
    tds = "".join(
        f"<td class='{cls}' data-label='{label}'>{html}</td>"
        if cls
        else f"<td data-label='{label}'>{html}</td>"
        for label, (cls, html) in zip(labels, cells, strict=True)
    )
    return f"<tr>{tds}</tr>"


def _heads(labels: tuple[str, ...]) -> str:
    return "".join(f"<th>{label}</th>" for label in labels)


# The funds' public pages, one reached from another: a donor who followed a link to a
# ledger or a disclosure has a way to the lists it belongs to, not only the browser's back.
_LISTS = {"/public/funds": "基金公示", "/public/projects": "项目清单"}


def _nav(here: str | None = None) -> str:
    """The lists of the funds' public pages, `here` (the page's own path) not a link."""
    return (
        "<nav class='meta lists'>"
        + " · ".join(
            f"<strong>{label}</strong>" if path == here else f"<a href='{path}'>{label}</a>"
            for path, label in _LISTS.items()
        )
        + "</nav>"
    )


_LEDGER_STYLE = """table { width: 100%; border-collapse: collapse; margin: 16px 0;
        font-size: 14px; }
th, td { border: 1px solid #999; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } .n { text-align: right; white-space: nowrap; }
.balance { font-size: 20px; } code { word-break: break-all; }
.state.ok { color: #0e7c3a; } .state.bad { color: #b91c1c; font-weight: bold; }
@media print { nav.lists { display: none; } }"""
_LEDGER_STYLE += _PHONE_TABLES + _PHONE_STACK

LEDGER_COLUMNS = (
    "序号",
    "时间",
    "类别",
    "用途",
    "对方",
    "收入（元）",
    "支出（元）",
    "余额（元）",
    "哈希",
)


def _in_zone(columns: tuple[str, ...], zone: tzinfo) -> tuple[str, ...]:
    """The columns, the time's heading saying whose clock it is, as the CSV's does."""
    return tuple(f"时间（{purposes.zone(zone)}）" if c == "时间" else c for c in columns)


def ledger_page(view: dict[str, Any], check: dict[str, Any], zone: tzinfo, office_name: str) -> str:
    fund_id = escape(str(view["fund_id"]))
    if check["valid"]:
        state = f"<p class='state ok'>哈希链校验通过：{check['entries']} 条记录未被篡改。</p>"
    else:
        broken = check["first_broken"]
        state = (
            f"<p class='state bad'>哈希链校验失败：第 {broken['sequence']} 条记录"
            f"（{escape(purposes.check(broken['reason']))}）。请联系社区慈善基金监督人。"
            "下表中的记录可能已被篡改；上方余额按基金的资金事件核算，不取自下表。</p>"
        )
    sequences = {str(e["reference"]): e["sequence"] for e in view["entries"]}
    rows = "".join(_row(e, view["references"], sequences, zone) for e in view["entries"])
    community = _community(view)
    return public_pages.document(
        f"{view['name']} · 收支公示",
        _LEDGER_STYLE,
        f"""{_nav()}
<h1>{escape(view["name"])} 收支公示</h1>
<p class="meta">{escape(office_name)} · {community}</p>
<p class="balance">当前余额：<strong>¥{yuan(view["balance_fen"])}</strong></p>
<p class="meta">{_totals(view)}（按基金的资金事件核算）</p>
{state}
<table class="stack"><thead><tr>{_heads(_in_zone(LEDGER_COLUMNS, zone))}</tr></thead>
<tbody>{rows or "<tr><td colspan='9'>暂无收支记录</td></tr>"}</tbody></table>
<p class="meta">每条记录的哈希（SHA-256）覆盖前一条记录的哈希，任何改动都会使校验失败。
最新哈希：<code>{escape(view["head_hash"])}</code></p>
<p class="meta">基金编号（核对用）：<code>{fund_id}</code></p>
<p class="meta"><a href="/public/funds/{fund_id}/ledger.csv">下载 CSV</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=html">校验结果</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=json">校验结果（JSON）</a> ·
<a href="/public/funds/{fund_id}/ledger?format=json">账本（JSON）</a></p>""",
    )


def verification_page(fund: dict[str, Any], check: dict[str, Any], office_name: str) -> str:
    """A ledger's verification (`queries.verification`) in words: whether its chain is
    intact, how many entries were checked and, if broken, from which entry on."""
    fund_id = escape(str(fund["fund_id"]))
    entries = check["entries"]
    if check["valid"]:
        state = (
            f"<p class='state ok'>哈希链完整：已校验全部 {entries} 条记录，"
            "与基金的资金事件一致，未被篡改。</p>"
        )
    else:
        broken = check["first_broken"]
        # The check stops at the first entry that breaks: those before it held.
        state = (
            f"<p class='state bad'>哈希链校验失败：共 {entries} 条记录，"
            f"前 {broken['sequence'] - 1} 条校验通过，自第 {broken['sequence']} 条记录起不符"
            f"（{escape(purposes.check(broken['reason']))}）。请联系社区慈善基金监督人。</p>"
        )
    return public_pages.document(
        f"{fund['name']} · 收支记录校验",
        _LEDGER_STYLE,
        f"""{_nav()}
<h1>{escape(fund["name"])} 收支记录校验</h1>
<p class="meta">{escape(office_name)} · {_community(fund)}</p>
{state}
<p class="meta">校验方法：按顺序重新计算每条收支记录的哈希（SHA-256，覆盖前一条记录的哈希），
并与基金的捐赠、退还、拨付事件逐条比对；任何改动、删除或插入都会使校验失败。</p>
<p class="meta">最新哈希：<code>{escape(check["head_hash"])}</code><br>
基金编号（核对用）：<code>{fund_id}</code></p>
<p class="meta"><a href="/public/funds/{fund_id}/ledger">返回收支公示</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=json">校验结果（JSON，供程序读取）</a></p>""",
    )


def _community(view: dict[str, Any]) -> str:
    """By its registered name and street; by its id only while this service has not heard of
    it (a fund opened before communities were replicated)."""
    if not view["community_id"]:
        return "全域（不限社区）"
    if view.get("community_name"):
        street = f"{escape(view['community_street'])} " if view.get("community_street") else ""
        return f"社区：{street}{escape(view['community_name'])}"
    return f"社区：{escape(view['community_id'])}"


def _totals(view: dict[str, Any]) -> str:
    raised, refunded = yuan(view["raised_fen"]), yuan(view["refunded_fen"])
    return f"累计募集 ¥{raised} · 退还捐赠 ¥{refunded} · 项目拨付 ¥{yuan(view['disbursed_fen'])}"


def _row(
    e: dict[str, Any], references: dict[str, dict[str, str]], sequences: dict, zone: tzinfo
) -> str:
    refers = references.get(str(e["reference"]), {})
    what = escape(purposes.purpose(e["purpose"]))
    if "donation_id" in refers and refers["donation_id"] in sequences:
        what += f"（退还第 {sequences[refers['donation_id']]} 条捐赠）"
    if "application_id" in refers:
        disclosure = f"/public/applications/{escape(refers['application_id'])}/disclosure"
        what += f" <a href='{disclosure}'>项目公示</a>"
    incoming = e["direction"] != "out"
    cells = [
        ("n", str(e["sequence"])),
        ("", f"{e['occurred_at'].astimezone(zone):%Y-%m-%d %H:%M}"),
        ("", escape(purposes.kind(e["kind"]))),
        ("", what),
        ("", escape(purposes.counterpart(e["counterpart"]))),
        ("n", yuan(e["amount_fen"]) if incoming else ""),
        ("n", "" if incoming else yuan(e["amount_fen"])),
        ("n", yuan(e["balance_fen"])),
        ("", f"<code title='{escape(e['hash'])}'>{escape(e['hash'][:12])}</code>"),
    ]
    return _stacked(_in_zone(LEDGER_COLUMNS, zone), cells)


_LIST_STYLE = """.community { border-top: 2px solid #bbb; padding: 8px 0; }
.community h2 { font-size: 20px; margin: 4px 0; }
table { width: 100%; border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #999; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } .n { text-align: right; white-space: nowrap; }
.due { color: #b42318; } .ok { color: #0e7c3a; } tr { break-inside: avoid; }
@media print { nav.lists { display: none; } }"""
_LIST_STYLE += _PHONE_TABLES


def projects_list_page(
    listed: dict[str, Any], filters: dict[str, Any], office_name: str, zone: tzinfo
) -> str:
    """`listed` is a page of the public projects list; `filters` the query it answers;
    `office_name` the office as its public pages name it; `zone` the office's time zone."""

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
        _LIST_STYLE + _PHONE_STACK,
        f"""{_nav("/public/projects")}
<h1>项目清单</h1>
<p class="meta">{escape(office_name)} · 经评审立项的社区微创投项目：承接的团队或组织、资助金额、
已拨付和已支出的资金、实施状态与成效。申报中和未立项的申请不列入。</p>
<p>{totals["communities"]} 个社区 · {totals["projects"]} 个项目 ·
立项金额 ¥{yuan(totals["approved_fen"])} · 已拨付 ¥{yuan(totals["disbursed_fen"])}{due}</p>
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
        f"""<table class="stack"><thead><tr>{_heads(PROJECT_COLUMNS)}</tr></thead>
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
    return _stacked(PROJECT_COLUMNS, cells)


_DISCLOSURE_STYLE = (
    _LIST_STYLE
    + """
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dt { color: #555; } dd { margin: 0; } code { word-break: break-all; }"""
    + _PHONE_STACK
)


def _place(community_id: str, name: str | None, street: str | None) -> str:
    """A community by its street and name (by its id while this service has not heard of it)."""
    return escape(f"{street} {name}" if name and street else name or community_id)


def _of_grant(view: dict[str, Any]) -> str:
    return _place(view["community_id"], view["community_name"], view["community_street"])


EXPENSE_COLUMNS = ("登记日期", "类别", "金额（元）", "票据 SHA-256")


def disclosure_page(view: dict[str, Any], zone: tzinfo, office_name: str) -> str:
    """One grant as `queries.disclosure` gives it: what the public is told of a project."""
    selection, amounts = view["selection"], view["amounts"]
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
        _stacked(
            EXPENSE_COLUMNS,
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
        _DISCLOSURE_STYLE,
        f"""{_nav()}
<h1>{escape(view["project"])}</h1>
<p class="meta">{escape(office_name)} · 社区微创投项目公示 · {_of_grant(view)} ·
{escape(view["fund_name"] or "")}</p>
<dl>
<dt>项目目的</dt><dd>{escape(view["purpose"] or "—")}</dd>
<dt>主题</dt><dd>{escape(view["theme"] or "—")}</dd>
<dt>承接团队/组织</dt><dd>{escape(view["grantee"] or "—")}</dd>
<dt>状态</dt><dd>{escape(STATE_LABELS[ProjectState(view["project_state"])])}</dd>
<dt>遴选方式</dt><dd>资格审查、专家评审打分、集体决定（评审 {selection["reviews"]} 份，
平均分 {mean}）</dd>
<dt>立项时间</dt><dd>{selection["decided_at"].astimezone(zone):%Y-%m-%d}</dd>
<dt>申请金额</dt><dd>¥{yuan(amounts["requested_fen"])}</dd>
<dt>立项金额</dt><dd>¥{yuan(amounts["approved_fen"])}</dd>
<dt>已拨付</dt><dd>¥{yuan(amounts["disbursed_fen"])}（{amounts["tranches"]} 笔）</dd>
<dt>已支出</dt><dd>¥{yuan(view["expenses_fen"])}</dd>
{done}
<dt>最近更新</dt><dd>{view["updated_at"].astimezone(zone):%Y-%m-%d}{due}</dd>
</dl>
<h2>申报预算</h2>
<table><thead><tr><th>用途</th><th>金额（元）</th></tr></thead>
<tbody>{lines or "<tr><td colspan='2'>—</td></tr>"}</tbody>
<tfoot><tr><th>合计</th><th class='n'>{yuan(budgeted)}</th></tr></tfoot></table>
{cut}
<h2>支出</h2>
<table class="stack"><thead><tr>{_heads(EXPENSE_COLUMNS)}</tr></thead>
<tbody>{expenses or "<tr><td colspan='4'>暂无支出</td></tr>"}</tbody></table>
<p class="meta">票据的 SHA-256 可与票据原件的扫描件核对。
<a href="/public/funds/{fund}/ledger">基金收支</a> ·
<a href="/public/rounds/{round_id}/disclosure">项目批次</a> ·
<a href="{json_url}">数据（JSON）</a></p>""",
    )


# The criteria the workbench offers a round (published codes): the first three are the API's
# default (`commands.grants.OpenRound`); a round opened through the API with others shows
# their codes as they are.
CRITERIA = {
    "need": "需求程度",
    "feasibility": "可行性",
    "budget": "预算合理性",
    "innovation": "创新性",
    "sustainability": "可持续性",
    "capacity": "团队执行能力",
}

# A grant round's states, as the public pages and the workbenches word them.
ROUND_STATES = {"open": "申报中", "closed": "已截止", "cancelled": "已取消"}
# Why a round is closed before its deadline, or cancelled (published codes: an office
# may use others).
CLOSINGS = {
    "budget-committed": "预算已基本分配",
    "enough-applications": "申报已足够",
    "other": "其他",
}
CANCELLATIONS = {
    "fund-short": "基金余额不足",
    "policy-changed": "政策调整",
    "opened-by-mistake": "误开轮次",
    "other": "其他",
}


def _round_state(view: dict[str, Any]) -> str:
    """Its state, with why it was cancelled or closed before its deadline (a published code,
    in words where they are known)."""
    if view["cancelled_because"]:
        code = view["cancelled_because"]
        return f"已取消（{escape(CANCELLATIONS.get(code, code))}）"
    if view["closed_early_because"]:
        code = view["closed_early_because"]
        return f"已提前截止（{escape(CLOSINGS.get(code, code))}）"
    return ROUND_STATES.get(view["state"], escape(view["state"]))


def _criteria(codes: list[str]) -> str:
    """What the reviewers score, in words where they are known, and how it counts."""
    named = "、".join(escape(CRITERIA.get(code, code)) for code in codes)
    return f"{named}（每项 0–100 分，项目得分为各项的平均分）"


ENVELOPE_COLUMNS = ("社区", "额度（元）", "已立项（元）", "余额（元）")
GRANT_COLUMNS = ("项目", "社区", "承接团队/组织", "状态", "立项（元）", "已拨付（元）")


def _grant_row(g: dict[str, Any]) -> str:
    disclosure = f"/public/applications/{escape(str(g['application_id']))}/disclosure"
    cells = [
        ("", f"<a href='{disclosure}'>{escape(g['project'])}</a>"),
        ("", _of_grant(g)),
        ("", escape(g["grantee"] or "—")),
        ("", escape(STATE_LABELS[ProjectState(g["project_state"])])),
        ("n", yuan(g["amounts"]["approved_fen"])),
        ("n", yuan(g["amounts"]["disbursed_fen"])),
    ]
    return _stacked(GRANT_COLUMNS, cells)


def round_disclosure_page(view: dict[str, Any], zone: tzinfo, office_name: str) -> str:
    """A round as `queries.round_disclosure` gives it: its budget, its communities'
    envelopes and every grant it made."""
    envelopes = "".join(
        _stacked(
            ENVELOPE_COLUMNS,
            [
                ("", _place(c["community_id"], c["name"], c["street"])),
                ("n", yuan(c["budget_fen"])),
                ("n", yuan(c["allocated_fen"])),
                ("n", yuan(c["left_fen"])),
            ],
        )
        for c in view["communities"]
    )
    envelope_table = (
        f"""<h2>各社区额度</h2>
<table class="stack"><thead><tr>{_heads(ENVELOPE_COLUMNS)}</tr></thead>
<tbody>{envelopes}</tbody></table>"""
        if envelopes
        else ""
    )
    grants = "".join(_grant_row(g) for g in view["grants"])
    cap = view["per_project_cap_fen"]
    name = view["name"] or "社区微创投"
    return public_pages.document(
        f"{name} · 项目批次公示",
        _DISCLOSURE_STYLE,
        f"""{_nav()}
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
<table class="stack"><thead><tr>{_heads(GRANT_COLUMNS)}</tr></thead>
<tbody>{grants or "<tr><td colspan='6'>暂无立项项目</td></tr>"}</tbody></table>
<p class="meta"><a href="/public/funds/{escape(str(view["fund_id"]))}/ledger">基金收支</a> ·
<a href="/public/rounds/{escape(str(view["round_id"]))}/disclosure?format=json">
数据（JSON）</a></p>""",
    )


FUND_COLUMNS = (
    "基金",
    "社区",
    "累计募集（元）",
    "退还（元）",
    "项目拨付（元）",
    "余额（元）",
    "收支明细",
    "微创投项目批次",
)


def funds_page(
    listed: Any, filters: dict[str, Any], office_name: str, place: dict[str, Any] | None = None
) -> str:
    """A page of `queries.funds_list` (基金公示): each fund's money, whether its ledger's
    chain verifies, and links to its ledger and grant rounds; `place`, the community the list
    is filtered by, as `communities.get` gives it."""
    link = public_pages.Links("/public/funds", filters)
    rows = "".join(_fund_row(f) for f in listed.items)
    empty = "暂无基金"
    if place:
        where = _place(place["community_id"], place["name"], place["street"])
        empty = f"{where}还没有社区慈善基金。<a href='/public/funds?format=html'>查看全部基金</a>"
    return public_pages.document(
        "基金公示",
        _LIST_STYLE + _PHONE_STACK,
        f"""{_nav("/public/funds")}
<h1>基金公示</h1>
<p class="meta">{escape(office_name)} · 社区慈善基金的募集、退还、拨付与余额，
按各基金的资金事件核算；每个基金的收支明细以哈希链防篡改。</p>
<table class="stack"><thead><tr>{_heads(FUND_COLUMNS)}</tr></thead>
<tbody>{rows or f"<tr><td colspan='8'>{empty}</td></tr>"}</tbody></table>
{link.next_page(listed.next_cursor)}
{link.json()}""",
    )


def _fund_row(f: dict[str, Any]) -> str:
    place = (
        _place(f["community_id"], f["community_name"], f["community_street"])
        if f["community_id"]
        else "全域"
    )
    check = (
        "<span class='ok'>校验通过</span>"
        if f["ledger_valid"]
        else "<strong class='due'>校验失败</strong>"
    )
    rounds = "<br>".join(
        f"<a href='{escape(r['disclosure_url'])}'>{escape(r['name'] or '社区微创投')}</a>"
        for r in f["rounds"]
    )
    cells = [
        ("", escape(f["name"])),
        ("", place),
        ("n", yuan(f["raised_fen"])),
        ("n", yuan(f["refunded_fen"])),
        ("n", yuan(f["disbursed_fen"])),
        ("n", yuan(f["balance_fen"])),
        ("", f"<a href='{escape(f['ledger'])}'>查看</a> · {check}"),
        ("", rounds or "—"),
    ]
    return _stacked(FUND_COLUMNS, cells)

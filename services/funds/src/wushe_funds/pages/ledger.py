"""A fund's public ledger (收支公示) and its verification (收支记录校验) as pages a donor
reads: every entry with its running balance and hash, and whether the chain holds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta, tzinfo
from html import escape
from typing import Any

from wushe_funds import purposes
from wushe_funds.pages import layout
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan

_LEDGER_STYLE = """table { width: 100%; border-collapse: collapse; margin: 16px 0;
        font-size: 14px; }
th, td { border: 1px solid #999; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } .n { text-align: right; white-space: nowrap; }
.balance { font-size: 20px; } code { word-break: break-all; }
.state.ok { color: #0e7c3a; } .state.bad { color: #b91c1c; font-weight: bold; }
@media print { nav.lists, nav.months { display: none; } }"""
_LEDGER_STYLE += layout.PHONE_TABLES + layout.PHONE_STACK

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


def ledger_page(
    view: dict[str, Any],
    check: dict[str, Any],
    zone: tzinfo,
    office_name: str,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
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
    # Every entry's, so that a refund of a period names its donation of an earlier one.
    sequences = view.get("sequences") or {
        str(e["reference"]): e["sequence"] for e in view["entries"]
    }
    rows = "".join(_row(e, view["references"], sequences, zone) for e in view["entries"])
    community = _community(view)
    return public_pages.document(
        f"{view['name']} · 收支公示",
        _LEDGER_STYLE,
        f"""{layout.nav(urls=urls)}
<h1>{escape(view["name"])} 收支公示</h1>
<p class="meta">{escape(office_name)} · {community}</p>
<p class="balance">当前余额：<strong>¥{yuan(view["balance_fen"])}</strong></p>
<p class="meta">{_totals(view)}（按基金的资金事件核算）</p>
{state}
{_months(view)}{_period(view)}
<table class="stack"><thead><tr>{layout.heads(_in_zone(LEDGER_COLUMNS, zone))}</tr></thead>
<tbody>{rows or "<tr><td colspan='9'>暂无收支记录</td></tr>"}</tbody></table>
<p class="meta">每条记录的哈希（SHA-256）覆盖前一条记录的哈希，任何改动都会使校验失败。
最新哈希：<code>{escape(view["head_hash"])}</code></p>
<p class="meta">基金编号（核对用）：<code>{fund_id}</code></p>
<p class="meta"><a href="/public/funds/{fund_id}/ledger.csv{_period_query(view)}">下载 CSV</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=html">校验结果</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=json">校验结果（JSON）</a> ·
<a href="/public/funds/{fund_id}/ledger?format=json">账本（JSON）</a></p>""",
    )


def verification_page(
    fund: dict[str, Any],
    check: dict[str, Any],
    office_name: str,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """A ledger's verification (`queries.verification.verification`) in words: whether its chain is
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
        f"""{layout.nav(urls=urls)}
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


def _months(view: dict[str, Any]) -> str:
    """Links to each month's entries (按月查看), the month shown marked: a month's ledger
    beside the bank's statement of it, or a donor's month, without scrolling a fund's years."""
    if len(view.get("months", ())) < 2 and "period" not in view:
        return ""
    fund_id = escape(str(view["fund_id"]))
    shown = view.get("period", {}).get("from")
    links = [
        f"<a href='/public/funds/{fund_id}/ledger?from={m}&amp;to={_month_end(m)}'"
        + (" aria-current='page'" if m == shown and view["period"]["to"] == _month_end(m) else "")
        + f">{m.year}年{m.month}月</a>"
        for m in view.get("months", ())
    ]
    every = f"<a href='/public/funds/{fund_id}/ledger'>全部</a>"
    # A nav: its links are a finger's targets on a phone (public_pages), left off in print.
    return (
        f"<nav class='months' aria-label='按月查看'>按月查看：{' · '.join([every, *links])}</nav>\n"
    )


def _month_end(first: date) -> date:
    following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return following - timedelta(days=1)


def _period(view: dict[str, Any]) -> str:
    """A period's figures: what it opened with, took in, paid out and closed with."""
    if "period" not in view:
        return ""
    p = view["period"]
    days = f"{p['from'] or '开设'} 至 {p['to'] or '今天'}"
    return (
        f"<p class='period'><strong>{days}</strong>：期初余额 ¥{yuan(p['opening_balance_fen'])}"
        f" · 收入 ¥{yuan(p['in_fen'])} · 支出 ¥{yuan(p['out_fen'])}"
        f" · 期末余额 ¥{yuan(p['closing_balance_fen'])}（{p['entries']} 条记录）</p>"
    )


def _period_query(view: dict[str, Any]) -> str:
    if "period" not in view:
        return ""
    days = {k: view["period"][k] for k in ("from", "to") if view["period"][k] is not None}
    return "?" + "&amp;".join(f"{k}={v}" for k, v in days.items())


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
    return layout.stacked(_in_zone(LEDGER_COLUMNS, zone), cells)

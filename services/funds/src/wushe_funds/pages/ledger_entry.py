"""One entry of a fund's public ledger as a page a donor reads (收支记录核对), from the QR
code of their acknowledgement: the entry as published and, in words, whether the ledger's
chain holds up to it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from html import escape
from typing import Any

from wushe_funds import purposes
from wushe_funds.pages import layout
from wushe_funds.pages.ledger import _community
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan

_STYLE = """dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px;
     margin: 16px 0; }
dt { color: #555; } dd { margin: 0; } code { word-break: break-all; }
.amount { font-size: 20px; }
.state { font-size: 18px; } .state.ok { color: #0e7c3a; }
.state.bad { color: #b91c1c; font-weight: bold; }
.refunded { color: #b45309; font-weight: bold; }
@media (max-width: 600px) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 6px; } }"""


def entry_page(
    view: dict[str, Any], zone: tzinfo, office_name: str, urls: Mapping[str, str] | None = None
) -> public_pages.Document:
    e = view["entry"]
    fund_id = escape(str(view["fund_id"]))
    here = f"/public/funds/{fund_id}/ledger/entries/{e['sequence']}"
    amount = f"{'+' if e['direction'] == 'in' else '-'}¥{yuan(e['amount_fen'])}"
    return public_pages.document(
        f"{view['name']} · 第 {e['sequence']} 条收支记录",
        _STYLE,
        f"""{layout.nav(urls=urls)}
<h1>{escape(view["name"])} 第 {e["sequence"]} 条收支记录</h1>
<p class="meta">{escape(office_name)} · {_community(view)}</p>
{_state(view)}
{_refunded(view, fund_id)}
<dl>
<dt>时间（{purposes.zone(zone)}）</dt><dd>{e["occurred_at"].astimezone(zone):%Y-%m-%d %H:%M}</dd>
<dt>类别</dt><dd>{escape(purposes.kind(e["kind"]))}</dd>
<dt>用途</dt><dd>{escape(purposes.purpose(e["purpose"]))}{_refund_of(view, fund_id)}</dd>
<dt>对方</dt><dd>{escape(purposes.counterpart(e["counterpart"]))}</dd>
<dt>金额（元）</dt><dd class="amount">{amount}</dd>
<dt>记账后余额（元）</dt><dd>¥{yuan(e["balance_fen"])}</dd>
<dt>哈希</dt><dd><code>{escape(e["hash"])}</code></dd>
<dt>前一条记录的哈希</dt><dd><code>{escape(e["prev_hash"])}</code></dd>
</dl>
<p class="meta">每条记录的哈希（SHA-256）覆盖它的内容和前一条记录的哈希：
核对您手中确认书上的序号和哈希与本页一致，即可确认这笔款项记在公开账目上、未被改动。</p>
<p class="meta"><a href="/public/funds/{fund_id}/ledger">查看全部收支公示</a> ·
<a href="/public/funds/{fund_id}/ledger/verify?format=html">校验整条哈希链</a> ·
<a href="{here}?format=json">本条记录（JSON）</a></p>""",
    )


def _state(view: dict[str, Any]) -> str:
    sequence = view["entry"]["sequence"]
    broken = view["first_broken"]
    if view["verified"]:
        later = (
            ""
            if broken is None
            else f"（其后第 {broken['sequence']} 条记录校验失败，请联系社区慈善基金监督人）"
        )
        return (
            f"<p class='state ok'>校验通过：自第 1 条至第 {sequence} 条记录的哈希链完整，"
            f"与基金的资金事件一致，本条记录未被篡改{later}。</p>"
        )
    return (
        f"<p class='state bad'>校验失败：自第 {broken['sequence']} 条记录起哈希链不符"
        f"（{escape(purposes.check(broken['reason']))}），本条记录不能作为凭据。"
        "请联系社区慈善基金监督人。</p>"
    )


def _link(fund_id: str, sequence: int) -> str:
    return f"<a href='/public/funds/{fund_id}/ledger/entries/{sequence}'>第 {sequence} 条记录</a>"


def _refunded(view: dict[str, Any], fund_id: str) -> str:
    """A donation paid back is said so where its donor lands, with the entries that paid it."""
    if not view["refunded_in"]:
        return ""
    entries = "、".join(_link(fund_id, sequence) for sequence in view["refunded_in"])
    return f"<p class='refunded'>这笔捐赠已退还（见{entries}）。</p>"


def _refund_of(view: dict[str, Any], fund_id: str) -> str:
    if view["refund_of"] is None:
        return ""
    return f"（退还{_link(fund_id, view['refund_of'])}的捐赠）"

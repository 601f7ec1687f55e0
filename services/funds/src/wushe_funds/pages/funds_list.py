"""The funds list (基金公示) as a page: each fund's money, whether its ledger's chain
verifies, and links to its ledger and grant rounds."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from wushe_funds.pages import layout
from wushe_service import public_pages
from wushe_service.money import yuan_grouped as yuan

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
    listed: Any,
    filters: dict[str, Any],
    office_name: str,
    place: dict[str, Any] | None = None,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """A page of `queries.funds.funds_list` (基金公示): each fund's money, whether its ledger's
    chain verifies, and links to its ledger and grant rounds; `place`, the community the list
    is filtered by, as `communities.get` gives it; `contact` whom a team asks to apply for a
    grant, if the office says; `urls` the other services' public addresses."""
    link = public_pages.Links("/public/funds", filters)
    rows = "".join(_fund_row(f) for f in listed.items)
    empty = "暂无基金"
    if place:
        where = layout.place(place["community_id"], place["name"], place["street"])
        empty = f"{where}还没有社区慈善基金。<a href='/public/funds?format=html'>查看全部基金</a>"
    return public_pages.document(
        "基金公示",
        layout.LIST_STYLE + layout.PHONE_STACK,
        f"""{layout.nav("/public/funds", urls)}
<h1>基金公示</h1>
<p class="meta">{escape(office_name)} · 社区慈善基金的募集、退还、拨付与余额，
按各基金的资金事件核算；每个基金的收支明细以哈希链防篡改。</p>
<table class="stack"><thead><tr>{layout.heads(FUND_COLUMNS)}</tr></thead>
<tbody>{rows or f"<tr><td colspan='8'>{empty}</td></tr>"}</tbody></table>
{layout.apply(contact)}
{link.next_page(listed.next_cursor)}
{link.json()}""",
    )


def _fund_row(f: dict[str, Any]) -> str:
    place = (
        layout.place(f["community_id"], f["community_name"], f["community_street"])
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
    return layout.stacked(FUND_COLUMNS, cells)

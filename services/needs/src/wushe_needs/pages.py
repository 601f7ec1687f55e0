"""The public wish board (微心愿墙) and needs list (需求清单) as pages for a browser or the
community notice board.

Plain server-side HTML with every value escaped: no script, nothing loaded from outside. They
show what `GET /public/wishes` and `GET /public/needs` show — never who a wish or need is for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import tzinfo
from html import escape
from typing import Any
from urllib.parse import urlencode

from wushe_service import public_pages, spreadsheet
from wushe_service.money import yuan_grouped as yuan

STATES = {"posted": "待认领", "claimed": "已认领", "fulfilled": "已实现", "confirmed": "已确认"}
CLAIMANTS = {"volunteer": "志愿者", "team": "志愿服务队伍"}


def _value(fen: int) -> str:
    # A wish worth nothing asks for someone's time (a visit, a haircut), not for goods:
    # "约 ¥0.00" reads as a mistake, or as a wish not worth taking.
    # "约 ¥300.00" alone read to a donor as money asked of them: it is what the wish is worth.
    return f"估价约 ¥{yuan(fen)}" if fen else "无需物资 · 志愿服务"


def _deadline(wish: dict[str, Any], zone: tzinfo) -> str:
    """By when the wish is hoped to come true, while it has not; "截止" alone read as the day
    claiming closes, and meant nothing on a wish already fulfilled."""
    if wish["state"] not in ("posted", "claimed"):
        return ""
    return f"<p class='meta'>希望 {wish['deadline'].astimezone(zone):%Y-%m-%d} 前实现</p>"


def _card(wish: dict[str, Any], zone: tzinfo) -> str:
    state = wish["state"]
    claimant = ""
    if state != "posted":
        who = wish["claimant_name"] or CLAIMANTS.get(wish["claimant_kind"] or "", "")
        claimant = f"<p class='who'>认领：{escape(who)}</p>" if who else ""
    community = wish["community_name"] or wish["community_id"]
    return f"""<li class="wish {escape(state)}">
<p class="state">{escape(STATES.get(state, state))}</p>
<h2>{escape(wish["title"])}</h2>
<p class="meta">{escape(community)} · {escape(wish["category_label"])}</p>
<p class="value">{_value(wish["value_fen"])}</p>
{_deadline(wish, zone)}{claimant}
</li>"""


_BOARD_STYLE = """ul { list-style: none; padding: 0; display: grid; gap: 12px;
     grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
.wish { border: 1px solid #bbb; border-radius: 6px; padding: 10px 14px; break-inside: avoid; }
.wish h2 { font-size: 18px; margin: 4px 0; } .wish p { margin: 4px 0; }
.value { font-size: 16px; }
.state { font-size: 13px; font-weight: bold; color: #b45309; }
.claimed .state { color: #1d4ed8; } .fulfilled .state, .confirmed .state { color: #0e7c3a; }
@media print { nav { display: none; } }"""


def _how_to_claim(contact: str | None) -> str:
    """Who may claim and how, for a reader who is not (yet) a volunteer: the board is read by
    residents and donors too, from the notice board's QR code, and "log in" alone leaves them
    nowhere to go. Whom they ask is the office's contact where it gives one."""
    ask = (
        f"还不是志愿者？请联系{public_pages.contact(contact)}，登记成为志愿者后即可认领。"
        if contact
        else "还不是志愿者？请联系心愿所在社区的居委会（村委会）或社工站，"
        "登记成为志愿者后即可认领。"
    )
    return f"""<p class="how">怎样认领：已登记的志愿者<a href="/my">登录后认领</a>，
心愿实现后由社工确认。
{ask}
社区的其他需求见<a href="/public/needs?format=html">需求清单</a>。</p>"""


def _place(place: dict[str, Any] | None, link: public_pages.Links) -> str:
    """The community the board is filtered by, and the way to every community's wishes: a
    reader sent here from a community's needs would otherwise take its few wishes, or its
    暂无微心愿, for the whole board's."""
    if place is None:
        return ""
    where = escape(" ".join(p for p in (place["street"], place["name"]) if p))
    return (
        f"<p class='place'>只列出<strong>{where}</strong>的微心愿 · "
        f"<a href='{link(community_id=None, cursor=None)}'>查看全部社区的微心愿</a></p>"
    )


def wish_board_page(
    page: Any,
    filters: dict[str, Any],
    zone: tzinfo,
    office_name: str,
    place: dict[str, Any] | None = None,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """`page` is a page of the public board; `filters` the query it answers, kept by the links;
    `office_name` the office as its public pages name it; `place` the community filtered by
    (its `name` and `street`), if any; `contact` whom a reader asks to become a volunteer, if
    the office says; `urls` the other services' public addresses (WUSHE_PUBLIC_URLS)."""

    link = public_pages.Links("/public/wishes", filters)
    chosen = filters.get("state") or []
    tabs = " · ".join(
        f"<strong>{label}</strong>"
        if chosen == states
        else f"<a href='{link(state=states, cursor=None)}'>{label}</a>"
        for label, states in [("待认领与已认领", []), *((v, [k]) for k, v in STATES.items())]
    )
    cards = "".join(_card(w, zone) for w in page.items) or "<li class='none'>暂无微心愿</li>"
    more = link.next_page(page.next_cursor)
    return public_pages.document(
        f"{place['name']} · 微心愿墙" if place else "微心愿墙",
        _BOARD_STYLE,
        f"""{public_pages.nav("needs", "/public/wishes", urls)}
<h1>微心愿墙</h1>
<p class="meta">{escape(office_name)} · 微心愿是社区里有困难的居民的小小心愿——一件生活用品、
一次上门理发或维修，由社工登记，志愿者和志愿服务队伍认领、实现。
为保护隐私，这里不显示心愿人的任何信息。</p>
{_how_to_claim(contact)}
{_place(place, link)}
<nav class="meta">{tabs}</nav>
<ul>{cards}</ul>
{more}
{link.json()}""",
    )


URGENCY_LABELS = {"critical": "紧急", "high": "较急", "normal": "一般", "low": "不急"}
MATCH_LABELS = {"wish": "微心愿", "grant": "微创投", "activity": "志愿服务活动"}


def _figure(n: int | None, counts: dict[str, Any]) -> str:
    """A count as `counts` give it: withheld (少于3) or rounded (约6) where small ones are."""
    if n is None:
        return f"少于{counts['below']}"
    return f"约{n}" if n and "rounded_to" in counts else str(n)


def _answered(counts: dict[str, Any]) -> str:
    kinds = "、".join(
        f"{MATCH_LABELS.get(k, k)} {_figure(n, counts)}"
        for k, n in counts["matched_by_kind"].items()
        if n != 0
    )
    return f"{_figure(counts['matched'], counts)}（{escape(kinds)}）" if kinds else "0"


# The columns after the category, each cell naming its own: on a phone a row is a card.
OPEN, ANSWERED, SINCE = "待回应", "回应中", "最早待回应需求登记于"


def _category_row(counts: dict[str, Any]) -> str:
    urgencies = "".join(
        f'<td data-label="{URGENCY_LABELS.get(u, u)}">{_figure(n, counts)}</td>'
        for u, n in counts["by_urgency"].items()
    )
    since = counts["oldest_open_since"]
    return f"""<tr><th scope="row">{escape(counts["category_label"])}</th>
<td class="by-state" data-label="{OPEN}">{_figure(counts["open"], counts)}</td>
<td class="by-state" data-label="{ANSWERED}">{_answered(counts)}</td>{urgencies}
<td class="since" data-label="{SINCE}">{escape(since.isoformat()) if since else "—"}</td></tr>"""


def _community(item: dict[str, Any]) -> str:
    totals = item["totals"]
    wishes = escape(
        "/public/wishes?" + urlencode({"community_id": item["community_id"], "format": "html"})
    )
    heads = "".join(f"<th>{label}</th>" for label in URGENCY_LABELS.values())
    rows = "".join(_category_row(c) for c in item["categories"])
    table = (
        f"""<table><thead><tr><th>需求类别</th><th>{OPEN}</th><th>{ANSWERED}</th>{heads}
<th>{SINCE}</th></tr></thead><tbody>{rows}</tbody></table>"""
        if rows
        else "<p class='meta'>暂无待回应的需求</p>"
    )
    return f"""<section class="community">
<h2>{escape(item["community_name"])}</h2>
<p class="meta">{escape(item["street"])} · 待回应 {_figure(totals["open"], totals)} 项 ·
回应中 {_figure(totals["matched"], totals)} 项</p>
{table}
<p class="respond">如何回应：<a href="{wishes}">认领微心愿</a>；
社会组织、高校可围绕以上需求申报微创投项目，或组织志愿服务活动，请与社区联系。</p>
</section>"""


def _rounding(totals: dict[str, Any]) -> str:
    """What 约 and 少于 mean, where the counts are rounded (WUSHE_PUBLIC_MIN_COUNT)."""
    if "rounded_to" not in totals:
        return ""
    n = totals["rounded_to"]
    return (
        f"<p class='meta'>为保护隐私，数量都取最接近的 {n} 的倍数（写作“约{n}”“约{2 * n}”），"
        f"1 至 {n - 1} 项写作“少于{n}”，以免指向个人。</p>"
    )


def _respond(contact: str | None) -> str:
    if not contact:
        return ""
    whom = public_pages.contact(contact)
    return f"<p class='respond'>回应需求、登记成为志愿者或申报项目，请联系{whom}。</p>"


_LIST_STYLE = """.community { border-top: 2px solid #bbb; padding: 8px 0; break-inside: avoid; }
.community h2 { font-size: 20px; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: center; }
th[scope="row"] { text-align: left; }
/* On a phone nine columns leave a header a character a line: each category is a card, its
   figures named by their cells (data-label) — 待回应 and 回应中, then the four urgencies. */
@media (max-width: 600px) {
  table, tbody { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px 8px; margin: 8px 0;
       border: 1px solid #bbb; border-radius: 6px; padding: 8px 10px; }
  th, td { border: 0; padding: 0; text-align: left; }
  th[scope="row"], td.since { grid-column: 1 / -1; } td.by-state { grid-column: span 2; }
  td::before { content: attr(data-label); display: block; font-size: 12px; color: #444; }
}"""


CSV_HEADINGS = ["街道", "社区", "需求类别", OPEN, ANSWERED, *MATCH_LABELS.values(),
                *URGENCY_LABELS.values(), SINCE]  # fmt: skip


def _csv_row(street: str, community: str, category: str, counts: dict[str, Any]) -> list[Any]:
    since = counts["oldest_open_since"]
    return [
        street,
        community,
        category,
        _figure(counts["open"], counts),
        _figure(counts["matched"], counts),
        *(_figure(counts["matched_by_kind"][k], counts) for k in MATCH_LABELS),
        *(_figure(counts["by_urgency"][u], counts) for u in URGENCY_LABELS),
        since.isoformat() if since else "",
    ]


def needs_list_csv(items: list[dict[str, Any]], totals: dict[str, Any]) -> str:
    """The public needs list as a spreadsheet: a row per community and category, then the
    community's (需求类别 合计), then all of them (社区 全部); each count as the page words it,
    少于3 or 约6 where the counts are rounded, so that none is taken for exact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for item in items:
        place = (item["street"], item["community_name"])
        rows = [_csv_row(*place, c["category_label"], c) for c in item["categories"]]
        for row in [*rows, _csv_row(*place, "合计", item["totals"])]:
            writer.writerow([spreadsheet.cell(v) for v in row])
    writer.writerow([spreadsheet.cell(v) for v in _csv_row("", "全部", "合计", totals)])
    # A BOM, so that Excel (what a social organisation opens it with) reads UTF-8.
    return "\ufeff" + out.getvalue()


def _spreadsheet(filters: dict[str, Any]) -> str:
    """The link to the list as a spreadsheet, every community the filters select."""
    query = {k: filters.get(k) for k in ("community_id", "street") if filters.get(k)}
    href = escape("/public/needs.csv" + (f"?{urlencode(query)}" if query else ""))
    return f'<p class="meta data"><a href="{href}" download>下载表格（CSV）</a></p>'


def needs_list_page(
    listed: dict[str, Any],
    filters: dict[str, Any],
    office_name: str,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """`listed` is a page of the public needs list; `filters` the query it answers;
    `office_name` the office as its public pages name it; `contact` whom a reader asks to
    answer a need, if the office says (else each community says 请与社区联系); `urls` the
    other services' public addresses (WUSHE_PUBLIC_URLS)."""

    link = public_pages.Links("/public/needs", filters)
    totals = listed["totals"]
    sections = "".join(_community(c) for c in listed["items"]) or "<p>暂无待回应的需求</p>"
    more = link.next_page(listed["next_cursor"])
    return public_pages.document(
        "需求清单",
        _LIST_STYLE,
        f"""{public_pages.nav("needs", "/public/needs", urls)}
<h1>需求清单</h1>
<p class="meta">{escape(office_name)} · 社区居民的需求，按类别汇总，
供志愿者、社会组织、高校和爱心人士了解并回应。紧急程度计入待回应和回应中的需求。为保护隐私，这里只有数量，不显示任何居民的信息。</p>
<p>{totals["communities"]} 个社区 · 待回应 {_figure(totals["open"], totals)} 项 ·
回应中 {_figure(totals["matched"], totals)} 项</p>
{_rounding(totals)}
{_respond(contact)}
{sections}
{more}
{link.json()}
{_spreadsheet(filters)}""",
    )

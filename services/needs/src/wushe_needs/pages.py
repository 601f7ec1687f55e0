"""The public wish board (微心愿墙) as a page for a browser or the community notice board.

Plain server-side HTML with every value escaped: no script, nothing loaded from outside. It
shows what `GET /public/wishes` shows — never who a wish is for.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape
from typing import Any
from urllib.parse import urlencode

from wushe_service.money import yuan_grouped as yuan

STATES = {"posted": "待认领", "claimed": "已认领", "fulfilled": "已实现", "confirmed": "已确认"}
CLAIMANTS = {"volunteer": "志愿者", "team": "志愿服务队伍"}


def _value(fen: int) -> str:
    # A wish worth nothing asks for someone's time (a visit, a haircut), not for goods:
    # "约 ¥0.00" reads as a mistake, or as a wish not worth taking.
    return f"约 ¥{yuan(fen)}" if fen else "无需物资 · 志愿服务"


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
<p class="meta">截止 {wish["deadline"].astimezone(zone):%Y-%m-%d}</p>{claimant}
</li>"""


def wish_board_page(page: Any, filters: dict[str, Any], zone: tzinfo) -> str:
    """`page` is a page of the public board; `filters` the query it answers, kept by the links."""

    def link(format: str = "html", **changes: Any) -> str:
        query = {k: v for k, v in (filters | changes).items() if v} | {"format": format}
        return escape("/public/wishes?" + urlencode(query, doseq=True))

    chosen = filters.get("state") or []
    tabs = " · ".join(
        f"<strong>{label}</strong>"
        if chosen == states
        else f"<a href='{link(state=states, cursor=None)}'>{label}</a>"
        for label, states in [("待认领与已认领", []), *((v, [k]) for k, v in STATES.items())]
    )
    cards = "".join(_card(w, zone) for w in page.items) or "<li class='none'>暂无微心愿</li>"
    more = (
        f"<p><a href='{link(cursor=page.next_cursor)}'>下一页</a></p>" if page.next_cursor else ""
    )
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>微心愿墙</title><style>
body {{ font-family: system-ui, "Microsoft YaHei", "PingFang SC", sans-serif; max-width: 1100px;
       margin: 24px auto; padding: 0 12px; color: #111; }}
ul {{ list-style: none; padding: 0; display: grid; gap: 12px;
     grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }}
.wish {{ border: 1px solid #bbb; border-radius: 6px; padding: 10px 14px; break-inside: avoid; }}
.wish h2 {{ font-size: 18px; margin: 4px 0; }} .wish p {{ margin: 4px 0; }}
.meta {{ color: #444; font-size: 14px; }} .value {{ font-size: 16px; }}
.state {{ font-size: 13px; font-weight: bold; color: #b45309; }}
.claimed .state {{ color: #1d4ed8; }} .fulfilled .state, .confirmed .state {{ color: #0e7c3a; }}
@media print {{ a {{ color: inherit; text-decoration: none; }} nav {{ display: none; }} }}
</style></head><body>
<h1>微心愿墙</h1>
<p class="meta">社区居民的小小心愿，由志愿者和志愿服务队伍认领、实现。
为保护隐私，这里不显示心愿人的任何信息。</p>
<nav class="meta">{tabs}</nav>
<ul>{cards}</ul>
{more}
<p class="meta"><a href="{link("json", cursor=None)}">JSON</a></p>
</body></html>"""

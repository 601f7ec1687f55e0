"""The public activities board (活动公告) and resources list (资源清单) as pages for a browser
or the notice board.

Plain server-side HTML with every value escaped: no script, nothing loaded from outside. They
show what `GET /public/activities` and `GET /public/resources` show — never who signed up,
never a volunteer one by one — with times as the office's clocks read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from html import escape
from typing import Any
from urllib.parse import urlencode

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES, TEAM_KINDS
from wushe_service import public_pages

WEEKDAYS = "一二三四五六日"
# The public sign-up form (志愿者报名), for residents who would rather apply on their phone.
JOIN_ONLINE = (
    "<p class='join-online'>也可以<a href='/join'>在线报名成为志愿者</a>，社区社工会与您联系。</p>"
)


def when(starts_at: datetime, ends_at: datetime, zone: tzinfo) -> str:
    """2026年12月8日（周二）09:00–11:00, in the office's time; a second date if it runs on."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = f"{start.year}年{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）"
    until = (
        f"{end:%H:%M}" if end.date() == start.date() else f"{end.month}月{end.day}日 {end:%H:%M}"
    )
    return f"{day}{start:%H:%M}–{until}"


def _card(item: dict[str, Any], zone: tzinfo) -> str:
    community = item["community_name"] or item["community_id"]
    place = f"{community} · {item['site']}" if item["site"] else community
    kind = TEAM_KINDS.label(item["team_kind"]) if item["team_kind"] else ""
    categories = "、".join(NEED_CATEGORIES.label(c) for c in item["need_categories"])
    left = item["places_left"]
    places = f"尚余 {left} 个名额（共 {item['capacity']} 个）" if left else "名额已满"
    return f"""<li class="activity{"" if left else " full"}">
<h2>{escape(item["title"])}</h2>
<p class="when">{escape(when(item["starts_at"], item["ends_at"], zone))}</p>
<p>地点：{escape(place)}</p>
<p>组织方：{escape(item["team"])}{f"（{escape(kind)}）" if kind else ""}</p>
{f"<p class='meta'>服务类别：{escape(categories)}</p>" if categories else ""}
<p class="places">{escape(places)}</p>
</li>"""


_BOARD_STYLE = """ul { list-style: none; padding: 0; display: grid; gap: 12px;
     grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
.activity { border: 1px solid #bbb; border-radius: 6px; padding: 10px 14px;
            break-inside: avoid; }
.activity h2 { font-size: 18px; margin: 4px 0; } .activity p { margin: 4px 0; }
.when { font-weight: bold; }
.places { color: #0e7c3a; font-weight: bold; } .full .places { color: #b91c1c; }
@media print { nav { display: none; } }"""


def _how_to_join(contact: str | None) -> str:
    """Whom a reader who is not (yet) a volunteer asks, as the wish board says it: the board is
    read from the notice board's QR code by residents who would help, and "sign in" alone
    leaves them nowhere to go. The office's contact where it gives one."""
    whom = public_pages.contact(contact) if contact else "所在社区的居委会（村委会）或社工站"
    return f"<p class='how'>还不是志愿者？请联系{whom}，登记成为志愿者后即可报名。</p>{JOIN_ONLINE}"


def activity_board_page(
    page: Any,
    filters: dict[str, Any],
    zone: tzinfo,
    office_name: str,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """`page` is a page of the public activities; `filters` the query it answers, which the
    links keep; `office_name` the office as its public pages name it; `contact` whom a reader
    asks to become a volunteer, if the office says; `urls` the other services' public
    addresses (WUSHE_PUBLIC_URLS)."""

    link = public_pages.Links("/public/activities", filters)
    cards = "".join(_card(a, zone) for a in page.items) or "<li class='none'>暂无待开展的活动</li>"
    more = link.next_page(page.next_cursor)
    return public_pages.document(
        "志愿服务活动公告",
        _BOARD_STYLE,
        f"""{public_pages.nav("volunteers", "/public/activities", urls)}
<h1>志愿服务活动公告</h1>
<p class="meta">{escape(office_name)} · 欢迎报名参加以下志愿服务活动（时间均为本地时间）。
已登记的志愿者可<a href="/my">登录“我的志愿服务”</a>报名，或联系组织方。</p>
{_how_to_join(contact)}
<ul>{cards}</ul>
{more}
{link.json()}""",
    )


def _names(items: list[dict[str, Any]]) -> str:
    """名称（类别）、…, or a dash."""
    listed = "、".join(f"{escape(i['name'])}（{escape(i['kind_label'])}）" for i in items)
    return listed or "—"


def _people(volunteers: dict[str, Any]) -> str:
    skills = "、".join(
        f"{escape(s['skill_label'])} {s['volunteers']}" for s in volunteers["by_skill"]
    )
    levels = "、".join(
        f"{escape(level['level_label'])} {level['volunteers']}"
        for level in volunteers["social_workers_by_level"]
        if level["volunteers"]
    )
    return f"""<tr><th scope="row">志愿者</th><td>{volunteers["active"]} 名
{f"（特长：{skills}）" if skills else ""}</td></tr>
<tr><th scope="row">持证社会工作者</th><td>{volunteers["social_workers"]} 名
{f"（{levels}）" if levels else ""}</td></tr>"""


def _activities(community_id: str | None) -> str:
    """The activities page, of one community or all: where to take part."""
    query = {"community_id": community_id} if community_id else {}
    return escape("/public/activities?" + urlencode(query | {"format": "html"}))


def _join_here(community_id: str) -> str:
    """The sign-up form with the community chosen."""
    return escape("/join?" + urlencode({"community_id": community_id}))


def _resources(item: dict[str, Any]) -> str:
    activities = _activities(item["community_id"])
    pairings = "；".join(
        f"{escape(p['university'])} · {escape(p['social_org'])}" for p in item["pairings"]
    )
    return f"""<section class="community">
<h2>{escape(item["community_name"])}</h2>
<p class="meta">{escape(item["street"])}</p>
<table><tbody>
<tr><th scope="row">服务阵地</th><td>{_names(item["sites"])}</td></tr>
<tr><th scope="row">服务队伍与组织</th><td>{_names(item["teams"])}</td></tr>
<tr><th scope="row">一校两社结对</th><td>{pairings or "—"}</td></tr>
{_people(item["volunteers"])}
<tr><th scope="row">待开展活动</th><td>{item["activities_to_come"]} 项</td></tr>
</tbody></table>
<p class="join">如何参与：<a href="{activities}">查看本社区的志愿服务活动并报名</a>，
或<a href="{_join_here(item["community_id"])}">在线报名成为本社区的志愿者</a>。</p>
</section>"""


_LIST_STYLE = """.community { border-top: 2px solid #bbb; padding: 8px 0; break-inside: avoid; }
.community h2 { font-size: 20px; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; }
th[scope="row"] { width: 9em; }"""


def _join(contact: str | None) -> str:
    if not contact:
        return JOIN_ONLINE
    whom = public_pages.contact(contact)
    return f"<p class='join'>登记成为志愿者、组建或加入服务队伍，请联系{whom}。</p>{JOIN_ONLINE}"


def resources_list_page(
    listed: dict[str, Any],
    filters: dict[str, Any],
    office_name: str,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """`listed` is a page of the public resources list; `filters` the query it answers;
    `office_name` the office as its public pages name it; `contact` whom a reader asks to
    become a volunteer, if the office says; `urls` the other services' public addresses
    (WUSHE_PUBLIC_URLS)."""

    link = public_pages.Links("/public/resources", filters)
    totals = listed["totals"]
    people = totals["volunteers"]
    sections = "".join(_resources(c) for c in listed["items"]) or "<p>暂无社区</p>"
    more = link.next_page(listed["next_cursor"])
    return public_pages.document(
        "资源清单",
        _LIST_STYLE,
        f"""{public_pages.nav("volunteers", "/public/resources", urls)}
<h1>资源清单</h1>
<p class="meta">{escape(office_name)} · 各社区可以调动的服务阵地、志愿服务队伍和社会组织、
一校两社结对，以及在册志愿者和持证社会工作者的人数。为保护隐私，这里只有数量，不显示任何志愿者的信息。</p>
<p>{totals["communities"]} 个社区 · 服务阵地 {totals["sites"]} 处 ·
队伍与组织 {totals["teams"]} 支 · 志愿者 {people["active"]} 名 ·
持证社会工作者 {people["social_workers"]} 名 · 待开展活动 {totals["activities_to_come"]} 项</p>
<p>如何参与：<a href="{_activities(filters.get("community_id"))}">查看志愿服务活动并报名</a>。</p>
{_join(contact)}
{sections}
{more}
{link.json()}""",
    )

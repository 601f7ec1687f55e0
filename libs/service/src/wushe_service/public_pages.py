"""What the public pages have in common (the wish board, the three lists — needs, resources,
projects —, the activities to come, a fund's ledger): a page in Chinese, read on a phone or
printed for a notice board, one line leading to the others across the three services, its
paged lists linking to themselves.

Plain server-side HTML with every value escaped: no script, nothing loaded from outside, and
no other style applied than the page's own (`response`).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from wushe_service import sheet_style

STYLE = """body { font-family: system-ui, "Microsoft YaHei", "PingFang SC", sans-serif;
       max-width: 1100px; margin: 24px auto; padding: 0 12px; color: #111; }
.meta { color: #444; font-size: 14px; }
/* On a phone a wide table scrolls in its own box: the page itself never scrolls sideways. */
@media (max-width: 720px) { table { display: block; max-width: 100%; overflow-x: auto; } }
/* On a phone each link of a page's navigation — the lists it leads to, a board's tabs, the
   next page — is a target a finger finds, 44px tall (WCAG 2.5.5), no longer a line of 14px
   text; the tab shown stands alike, so that the row does not jump. */
@media (max-width: 720px) {
  nav a, nav strong { display: inline-flex; align-items: center; min-height: 44px;
                      padding: 0 8px; font-size: 16px; }
}
/* Printed for a notice board or a meeting, a link to the page's data (JSON, CSV) is a line
   nobody can follow: left off, as the navigation is. */
@media print { a { color: inherit; text-decoration: none; }
               nav.more, nav.site, .data { display: none; } }"""

# Every public page of the office, whichever service serves it, in the order a resident
# meets them: what is asked, who helps, where the money goes.
PAGES = (
    ("needs", "/public/wishes", "微心愿"),
    ("needs", "/public/needs", "需求清单"),
    ("volunteers", "/public/activities", "志愿活动"),
    ("volunteers", "/public/resources", "服务资源"),
    ("funds", "/public/funds", "基金公示"),
    ("funds", "/public/projects", "项目清单"),
)


_SITE = "<nav class='meta site' aria-label='公开信息'>"


def nav(service: str, here: str | None = None, urls: Mapping[str, str] | None = None) -> str:
    """The line of the office's public pages atop a page of `service`: `here`, the page's own
    path, marked and not a link; `service`'s own pages by their path, another service's by its
    base URL in `urls` (WUSHE_PUBLIC_URLS), left out where it is not known."""
    urls = urls or {}
    links = []
    for owner, path, label in PAGES:
        if path == here:
            links.append(f"<strong aria-current='page'>{label}</strong>")
        elif owner == service:
            links.append(f"<a href='{path}'>{label}</a>")
        elif owner in urls:
            links.append(f"<a href='{escape(urls[owner] + path)}'>{label}</a>")
    return f"{_SITE}{' · '.join(links)}</nav>"


def css(style: str) -> str:
    """The whole style of a page whose own is `style`: the common one, then its own (what its
    <style> element holds, for `sheet_style.source`)."""
    return f"{STYLE}\n{style}\n"


class Document(str):
    """A public page's HTML, with the headers that let its own style apply and nothing else
    (`sheet_style.headers`): no script runs, no other inline style applies, nothing loads."""

    headers: dict[str, str]


def document(title: str, style: str, body: str, *, form_action: str = "'none'") -> Document:
    """A whole page: its `title` (text, escaped here), its own `style` after the common one,
    and its `body` (HTML, its values escaped by the caller); its forms post to `form_action`
    only (the sign-up form, to itself)."""
    page = Document(f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>{sheet_style.element(css(style))}</head><body>
{landmarks(body)}
</body></html>""")
    page.headers = sheet_style.headers(css(style), form_action=form_action)
    return page


def landmarks(body: str) -> str:
    """The `body` with what it says in <main>, the line of the office's public pages (`nav`)
    atop it left outside: a screen reader's user jumps past the links to the page's own
    content (WCAG 2.4.1), and no text is outside a landmark."""
    site, end, rest = body.lstrip().partition("</nav>")
    if end and site.startswith(_SITE):
        return f"{site}{end}\n<main>{rest}</main>"
    return f"<main>{body}</main>"


def response(page: Document, status_code: int = 200) -> HTMLResponse:
    """The page, served with its headers."""
    return HTMLResponse(page, status_code=status_code, headers=page.headers)


def contact(office_contact: str) -> str:
    """The office's contact (WUSHE_PUBLIC_CONTACT) set off in a sentence of a page: bold, as it
    may hold commas of its own, and without a full stop of its own before the sentence's."""
    return f"<strong class='contact'>{escape(office_contact.rstrip('。；，,; '))}</strong>"


class Links:
    """A paged public list's links to itself: the same filters (`None` and empty ones left
    out), as a page or as JSON, and to its next page."""

    def __init__(self, path: str, filters: dict[str, Any]) -> None:
        self.path = path
        self.filters = filters

    def __call__(self, format: str = "html", **changes: Any) -> str:
        query = {k: v for k, v in (self.filters | changes).items() if v} | {"format": format}
        return escape(f"{self.path}?{urlencode(query, doseq=True)}")

    def next_page(self, cursor: str | None) -> str:
        return (
            f"<nav class='more' aria-label='翻页'><a href='{self(cursor=cursor)}'>下一页</a></nav>"
            if cursor
            else ""
        )

    def json(self) -> str:
        return f'<p class="meta data"><a href="{self("json", cursor=None)}">数据（JSON）</a></p>'

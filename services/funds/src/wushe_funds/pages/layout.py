"""What the funds' public pages share: their tables' style on a screen, in print and on a
phone, the links between the lists, and how a community is named."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from wushe_service import public_pages

# On a phone the common style lets a wide table scroll in its own box; left to itself the
# browser then squeezes the words' columns to one character a line (Chinese breaks anywhere)
# while the amounts keep their width: a column of words keeps room for a few, a heading its
# line.
PHONE_TABLES = """
@media (max-width: 720px) { td { min-width: 6em; } td.n { min-width: 0; }
  th { white-space: nowrap; } }"""

# A list a donor reads on a phone to its last column — a fund's balance and the link to its
# ledger, an entry's amounts and balance, a round's grants, a project's expenses — stacks its
# rows there, each value after its column's name, rather than leaving those columns scrolled
# out of sight to the right. The headings stay for a screen reader.
PHONE_STACK = """
@media (max-width: 600px) {
  table.stack, table.stack :is(tbody, tr, td) { display: block; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid #999; margin-bottom: 8px; }
  table.stack td { border: 0; min-width: 0; padding: 3px 8px; text-align: left; }
  table.stack td[data-label]::before { content: attr(data-label) "："; color: #444; }
  table.stack td:empty { display: none; }
}"""


def stacked(labels: tuple[str, ...], cells: list[tuple[str, str]]) -> str:
    """A row of `cells` (class, HTML), each named by its column's label for a phone."""
    tds = "".join(
        f"<td class='{cls}' data-label='{label}'>{html}</td>"
        if cls
        else f"<td data-label='{label}'>{html}</td>"
        for label, (cls, html) in zip(labels, cells, strict=True)
    )
    return f"<tr>{tds}</tr>"


def heads(labels: tuple[str, ...]) -> str:
    return "".join(f"<th>{label}</th>" for label in labels)


def nav(here: str | None = None, urls: Mapping[str, str] | None = None) -> str:
    """The office's public pages atop a funds' page, `here` (the page's own path) not a link:
    a donor who followed a link to a ledger or a disclosure has a way to the lists it belongs
    to, not only the browser's back; `urls` the other services' (WUSHE_PUBLIC_URLS)."""
    return public_pages.nav("funds", here, urls)


def apply(contact: str | None) -> str:
    """Whom a team or organisation that would apply for a micro-venture grant asks, as the
    needs and resources lists say it: the office's contact, or nothing where it gives none."""
    if not contact:
        return ""
    return f"<p class='apply'>申报微创投项目，请联系{public_pages.contact(contact)}。</p>"


LIST_STYLE = """.community { border-top: 2px solid #bbb; padding: 8px 0; }
.community h2 { font-size: 20px; margin: 4px 0; }
table { width: 100%; border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #999; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } .n { text-align: right; white-space: nowrap; }
.due { color: #b42318; } .ok { color: #0e7c3a; } tr { break-inside: avoid; }
"""
LIST_STYLE += PHONE_TABLES


DISCLOSURE_STYLE = (
    LIST_STYLE
    + """
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dt { color: #555; } dd { margin: 0; } code { word-break: break-all; }"""
    + PHONE_STACK
)


def place(community_id: str, name: str | None, street: str | None) -> str:
    """A community by its street and name (by its id while this service has not heard of it)."""
    return escape(f"{street} {name}" if name and street else name or community_id)


def of_grant(view: dict[str, Any]) -> str:
    return place(view["community_id"], view["community_name"], view["community_street"])

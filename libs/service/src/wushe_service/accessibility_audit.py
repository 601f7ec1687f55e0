"""An accessibility audit of a page in a real headless Chromium (tests only): axe-core, vendored
in `axe/` (never fetched at test time), against WCAG 2.1 A and AA, the level GB/T 37668-2019
asks of a government's web pages.

`await accessibility_violations(page)`: each serious or critical violation of the page open in
`page`, worded to say what to fix — the rule, its impact, what it asks and the elements failing;
with axe's rules, one it has not: the page does not scroll sideways (`reflow`). The services'
pages are held to more (`AUDIT`: moderate too, and axe's best practices) on each of `SCREENS`,
one paragraph a page (`violations_of`), a tab of a page at a time (`each_tab`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

AXE = Path(__file__).parent / "axe" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# axe's rules beyond WCAG's letter — a page's <main>, every text within a landmark, one name
# per landmark — which the public pages keep too, asked for with `tags`.
BEST_PRACTICES = (*WCAG_21_AA, "best-practice")
# What the services' pages, public and staff, are held to: not only what is serious or
# critical, but axe's best practices too (a <main>, no text outside a landmark).
AUDIT: dict[str, Any] = {
    "impacts": ("moderate", "serious", "critical"),
    "tags": BEST_PRACTICES,
}
# A laptop, a phone, and the narrowest screen WCAG 1.4.10 asks a page to fit (320px).
SCREENS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 812},
    "narrowest": {"width": 320, "height": 640},
}

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), impact: n.impact,
                                summary: n.failureSummary})),
  }));
}"""


# WCAG 2.1 1.4.10 (reflow), which axe cannot judge: at the screen's width — 320px is the rule's —
# the page does not scroll sideways; a wide table may, in a box of its own. Named, as axe names
# them, are the elements that stick out of the screen, not within such a box.
_REFLOW = """() => {
  if (document.documentElement.scrollWidth <= innerWidth) return [];
  const boxed = (e) => {
    for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > innerWidth + 1 && !boxed(e));
  const named = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "")
    + [...e.classList].map((c) => `.${c}`).join("");
  return [{
    id: "reflow", impact: "serious",
    help: `The page must not scroll sideways: ${document.documentElement.scrollWidth}px wide`
      + ` on a screen ${innerWidth}px wide (WCAG 1.4.10)`,
    nodes: out.slice(0, 5).map((e) => ({target: named(e), impact: "serious",
      summary: `${Math.round(e.getBoundingClientRect().width)}px wide`})),
  }];
}"""


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


async def accessibility_violations(
    page: Page,
    *,
    impacts: Iterable[str] = ("serious", "critical"),
    tags: Iterable[str] = WCAG_21_AA,
) -> list[str]:
    """Each violation of the rules of `tags` (WCAG 2.1 A/AA) on the page as it is now whose
    impact is one of `impacts`, a line for its rule and one for each element failing it."""
    # Evaluated through the DevTools protocol, axe runs whatever the page's Content-Security-
    # Policy: a <script> element (`add_script_tag`) would be refused by the pages' `default-src
    # 'none'`, and a context with `bypass_csp=True` would audit a page unlike the one served.
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(_source())
    found: list[dict[str, Any]] = await page.evaluate(_RUN, list(tags))
    found += await page.evaluate(_REFLOW)
    wanted = set(impacts)
    return [_worded(v) for v in found if v["impact"] in wanted]


def _worded(violation: dict[str, Any]) -> str:
    nodes = "".join(
        f"\n    {node['target']}: {' '.join((node['summary'] or '').split())}"
        for node in violation["nodes"]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']}{nodes}"


async def violations_of(page: Page, what: str | None = None) -> str:
    """The page's violations of `AUDIT`, one paragraph headed by its address (and by what is on
    it), or "" when it has none."""
    found = await accessibility_violations(page, **AUDIT)
    head = f"{page.url} ({what})" if what else page.url
    return f"{head}:\n  " + "\n  ".join(found) if found else ""


async def each_tab(page: Page) -> list[str]:
    """The violations of each of the page's tabs (`.tab`, showing `#<data-tab>`), opened in turn."""
    found = []
    for tab in await page.locator(".tab").all():
        await tab.click()
        await page.locator(f"#{await tab.get_attribute('data-tab')}").wait_for()
        found.append(await violations_of(page, f"tab {await tab.text_content()}"))
    return found

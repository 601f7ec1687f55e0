"""An accessibility audit of a page in a real headless Chromium (tests only): axe-core, vendored
in `axe/` (never fetched at test time), against WCAG 2.1 A and AA, the level GB/T 37668-2019
asks of a government's web pages.

`await accessibility_violations(page)`: each serious or critical violation of the page open in
`page`, worded to say what to fix — the rule, its impact, what it asks and the elements failing.
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

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), impact: n.impact,
                                summary: n.failureSummary})),
  }));
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
    wanted = set(impacts)
    return [_worded(v) for v in found if v["impact"] in wanted]


def _worded(violation: dict[str, Any]) -> str:
    nodes = "".join(
        f"\n    {node['target']}: {' '.join((node['summary'] or '').split())}"
        for node in violation["nodes"]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']}{nodes}"

"""The dashboard under its strict Content-Security-Policy (no inline script or style), in a
real headless Chromium: it draws its charts and their tooltips with no violation, its own
stylesheet applies, and a style injected into it is refused."""

from __future__ import annotations

from wushe_service.browser_testing import csp_violations

from .test_dashboard import RENDERED, TOOLTIP, api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

INJECTED = """() => { const s = document.createElement("style");
  s.textContent = "h1 { color: rgb(1, 2, 3) }"; document.head.append(s);
  return getComputedStyle(document.querySelector("h1")).color; }"""
# The colour of each dot of the chart's tooltip shown last.
DOTS = """path => [...document.querySelectorAll(`[data-path='${path}'] .tip-dot`)]
  .map(dot => getComputedStyle(dot).backgroundColor)"""


async def test_the_dashboard_and_its_tooltips_raise_no_csp_violation(tab, dashboard, api, seeded):
    await settled(api)
    async with tab() as page:
        violations = await csp_violations(page.context)
        await visit(page, dashboard)
        assert (await page.evaluate(RENDERED))["charts"]["volunteers.by_status"]["series"]

        # A pie's tooltip and an axis's, each line with its series' dot in its colour.
        assert "（66.7%）" in await page.evaluate(TOOLTIP, ["volunteers.by_status", 0])
        assert "rgba(0, 0, 0, 0)" not in await page.evaluate(DOTS, "volunteers.by_status")
        assert "¥" in await page.evaluate(TOOLTIP, ["money.by_month", 0])
        assert "rgba(0, 0, 0, 0)" not in await page.evaluate(DOTS, "money.by_month")

        # The page's stylesheet applies (the cards stand in a grid); an injected style does not.
        assert await page.eval_on_selector("#kpis", "e => getComputedStyle(e).display") == "grid"
        assert violations == []
        assert await page.evaluate(INJECTED) != "rgb(1, 2, 3)"


async def test_the_dashboard_allows_no_inline_script_or_style(api):
    policy = (await api.get("/")).headers["content-security-policy"]
    assert "'unsafe-" not in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy

"""The dashboard passes an accessibility audit — axe-core: WCAG 2.1 A/AA, as GB/T 37668-2019
asks of a government's pages, and axe's best practices — at a desktop's width and a phone's, in
Chinese and in English, with figures drawn for the office and its communities, and so does the
page of a mistyped address (a table's download), in a real Chromium, against the real
PostgreSQL and NATS."""

import pytest

from wushe_service.accessibility_audit import SCREENS, violations_of
from wushe_service.browser_testing import WAIT_MS

from . import test_dashboard as drawn

# The dashboard served and its office's history published, as its own browser test has them.
dashboard, api, seeded = drawn.dashboard, drawn.api, drawn.seeded


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_dashboard_has_no_accessibility_violation(tab, dashboard, seeded, office, screen):
    found = []
    async with tab(viewport=SCREENS[screen]) as page:
        for lang in ("zh", "en"):
            await drawn.visit(page, dashboard, lang)
            found.append(await violations_of(page))
            await drawn.visit(page, dashboard, lang, office=office)
            await page.wait_for_selector("#communities tbody tr", timeout=WAIT_MS)
            found.append(await violations_of(page))
        await page.goto(f"{dashboard}/api/export/no-such-table.csv")  # the error page
        found.append(await violations_of(page))
    assert not any(found), "\n".join(filter(None, found))

"""On a phone the dashboard's tables scroll sideways in their boxes with each cell on one line:
squeezed to the screen, a community's name stood a character a line (丰/山/社/区), the 暂停拨付
badge in two and a heading as 需/求/调/研."""

from __future__ import annotations

from wushe_service.browser_testing import PHONE

from .test_dashboard import api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

# Each shown cell of the page's own tables (not the charts' folded ones), with how many lines
# of its font its content is tall.
LINES = """selector => [...document.querySelectorAll(selector)]
  .filter(el => el.offsetParent !== null && el.textContent.trim())
  .map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tall = range.getBoundingClientRect().height;
    return [el.textContent.trim(), tall / parseFloat(getComputedStyle(el).lineHeight)];
  })"""

TABLES = ("#rounds", "#grants", "#freshness", "#offices", "#communities")


async def test_on_a_phone_each_cell_of_the_tables_stands_on_one_line(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    async with tab(viewport=PHONE) as page:
        await visit(page, dashboard, office=office)
        await page.locator("#communities tr[data-community='fengshan']").wait_for()
        cells = await page.evaluate(
            LINES, ", ".join(f"{t} tbody td:not(.link-info)" for t in TABLES)
        )
        assert len(cells) > 20
        squeezed = [(text, round(lines, 1)) for text, lines in cells if lines > 1.5]
        assert not squeezed, squeezed
        headings = await page.evaluate(LINES, ", ".join(f"{t} thead th" for t in TABLES))
        assert headings
        # A heading may wrap where its words part (服务时长 / （小时）), not a letter a line.
        broken = [(text, round(lines, 1)) for text, lines in headings if lines > 2.5]
        assert not broken, broken
        # The page itself stays the screen's width: the tables scroll in their boxes.
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

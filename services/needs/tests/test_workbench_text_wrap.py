"""The staff pages' paragraphs on a phone (the common workbench style, here the needs
workbench's): a figure's unit does not stand alone on a paragraph's last line (尚余 2000.00 /
元), as a grant round's community envelopes did on the funds workbench. In a real Chromium."""

from __future__ import annotations

from wushe_service.browser_testing import PHONE

ENVELOPE = "丰山社区：额度 2000.00 元，已批准 0.00 元，尚余 2000.00 元"

# Whether the paragraph's last character (元) is on the line of the figure before it: a
# paragraph of the page's own kind (.meta) with the envelope's words, as the page writes text.
UNIT_WITH_ITS_FIGURE = """text => {
  const p = document.createElement('p');
  p.className = 'meta';
  p.textContent = text;
  document.querySelector('main').append(p);
  const node = p.firstChild, end = text.length;
  const top = at => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    return range.getBoundingClientRect().top;
  };
  return top(end - 1) === top(end - 3);
}"""


async def test_a_unit_is_not_left_alone_on_a_paragraphs_last_line(tab, served):
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/workbench")
        for width in (PHONE["width"], 375, 360):
            await page.set_viewport_size({"width": width, "height": PHONE["height"]})
            assert await page.evaluate(UNIT_WITH_ITS_FIGURE, ENVELOPE), width

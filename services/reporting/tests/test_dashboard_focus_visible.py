"""Where the keyboard is on the dashboard is seen: the ring around the element focused stands
out 3:1 from the page and the white of its cards (WCAG 2.1 1.4.11, a focus indicator being what
tells a component's state), as axe does not check — in a real Chromium."""

import re

from . import test_dashboard as drawn

dashboard = drawn.dashboard  # the service over HTTP, as its own browser test has it

# The ring of the element focused, and the page's own background.
RING = """() => {
  const ring = getComputedStyle(document.activeElement);
  return [ring.outlineStyle, ring.outlineWidth, ring.outlineColor,
          getComputedStyle(document.body).backgroundColor];
}"""


def luminance(css_colour: str) -> float:
    red, green, blue = (int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3])
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


async def test_the_focus_ring_stands_out_from_the_page_and_its_cards(tab, dashboard):
    async with tab() as page:
        await page.goto(f"{dashboard}/")
        await page.keyboard.press("Tab")  # the skip link, then the page's controls
        for _ in range(3):
            style, width, ring, background = await page.evaluate(RING)
            assert style == "solid"
            assert float(width.removesuffix("px")) >= 2
            for behind in (background, "rgb(255, 255, 255)"):
                assert contrast(ring, behind) >= 3, (ring, behind)
            await page.keyboard.press("Tab")

"""The wish board on a phone, as a resident opens it from the notice board's QR code: its state
tabs and the link to its next page are tap targets 44px tall (WCAG 2.5.5), not 14px text a
finger covers several of — in a real Chromium, against the real PostgreSQL and NATS."""

from .conftest import PHONE

TARGET = 44  # CSS pixels

# Each link and shown tab of the page's navigation: its text and height.
HEIGHTS = """() => [...document.querySelectorAll('nav a, nav strong')].map(
  element => [element.textContent, element.getBoundingClientRect().height])"""


async def test_on_a_phone_the_boards_tabs_and_next_page_are_tap_targets(
    tab, served, needs, community, wish_body
):
    await community()
    for title in ("一台收音机", "一副老花镜"):
        posted = await needs.post("/wishes", json=wish_body(title=title))
        assert posted.status_code == 201, posted.text
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/wishes?limit=1&format=html")
        heights = await page.evaluate(HEIGHTS)
        tabs = ["待认领与已认领", "待认领", "已认领", "已实现", "已确认"]
        # The office's public pages first (the needs service's own, no other address set).
        assert [text for text, _ in heights] == ["微心愿", "需求清单", *tabs, "下一页"]
        for text, height in heights:
            assert height >= TARGET, text
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The targets lead where they did.
        await page.get_by_role("link", name="已认领").click()
        await page.wait_for_url("**state=claimed**")

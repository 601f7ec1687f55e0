"""The public pages' navigation on a phone, in a real headless Chromium: each link between the
pages — the lists a page leads to (as the funds' pages lead to 基金公示 · 项目清单), the next
page of a list — is a tap target 44px tall (WCAG 2.5.5), not a line of small text."""

from wushe_service.browser_testing import PHONE
from wushe_service.public_pages import Links, document

TARGET = 44  # CSS pixels

# The heights of the links and the shown tab of every navigation of the page.
HEIGHTS = """() => [...document.querySelectorAll('nav a, nav strong')].map(
  element => [element.textContent, element.getBoundingClientRect().height])"""


def page_with_navigation() -> str:
    lists = (
        "<nav class='meta lists'><strong>基金公示</strong> · "
        "<a href='/public/projects'>项目清单</a></nav>"
    )
    more = Links("/public/funds", {}).next_page("c1")
    return document("基金公示", "", f"{lists}<h1>基金公示</h1><p class='meta'>说明</p>{more}")


async def test_on_a_phone_each_link_of_a_navigation_is_a_tap_target(tab):
    async with tab(viewport=PHONE) as page:
        await page.set_content(page_with_navigation())
        heights = await page.evaluate(HEIGHTS)
        assert [text for text, _ in heights] == ["基金公示", "项目清单", "下一页"]
        for text, height in heights:
            assert height >= TARGET, text
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def test_on_a_desktop_the_navigation_stays_a_line_of_text(tab):
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        await page.set_content(page_with_navigation())
        for text, height in await page.evaluate(HEIGHTS):
            assert height < TARGET, text

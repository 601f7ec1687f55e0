"""The office's public navigation (public_pages.nav) on a phone, in a real headless Chromium:
all six pages of the three services fit the screen's width, each a tap target, wrapping to a
second line rather than pushing the page sideways."""

from wushe_service.browser_testing import PHONE
from wushe_service.public_pages import document, nav

TARGET = 44  # CSS pixels

URLS = {
    "needs": "https://wushe.yuyao.gov.cn/needs",
    "volunteers": "https://wushe.yuyao.gov.cn/volunteers",
}

# Each entry of the navigation: its text, whether it is the page shown, and its box.
ENTRIES = """() => [...document.querySelectorAll('nav.site a, nav.site strong')].map(
  element => {
    const box = element.getBoundingClientRect();
    return [element.textContent, element.getAttribute('aria-current'), box.height, box.right];
  })"""


async def test_on_a_phone_the_six_public_pages_fit_the_width_as_tap_targets(tab):
    body = f"{nav('funds', '/public/projects', URLS)}<h1>项目清单</h1>"
    async with tab(viewport=PHONE) as page:
        await page.set_content(document("项目清单", "", body))
        entries = await page.evaluate(ENTRIES)
        assert [(text, current) for text, current, _, _ in entries] == [
            ("微心愿", None),
            ("需求清单", None),
            ("志愿活动", None),
            ("服务资源", None),
            ("基金公示", None),
            ("项目清单", "page"),
        ]
        for text, _, height, right in entries:
            assert height >= TARGET, text
            assert right <= PHONE["width"], text
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

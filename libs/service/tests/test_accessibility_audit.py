"""The accessibility audit of a page (`accessibility_audit`) in a real headless Chromium: it runs
under the public pages' strict Content-Security-Policy, which runs no script of the page's, and
names what to fix — the rule, and the element failing it; axe's best practices when asked."""

from wushe_service.accessibility_audit import BEST_PRACTICES, accessibility_violations
from wushe_service.public_pages import Document, document

ADDRESS = "http://wushe.test/join"


async def served(page, html) -> None:
    """Open `html` at ADDRESS, served with its own headers, its policy among them."""
    headers = {**html.headers, "Content-Type": "text/html; charset=utf-8"}
    await page.route(ADDRESS, lambda route: route.fulfill(body=str(html), headers=headers))
    await page.goto(ADDRESS)


async def test_a_field_without_a_label_is_named_under_the_pages_policy(tab):
    unlabelled = document("报名", "", "<h1>报名</h1><form><input type='tel' name='phone'></form>")
    assert "default-src 'none'" in unlabelled.headers["Content-Security-Policy"]  # no script
    async with tab() as page:
        await served(page, unlabelled)
        [violation] = await accessibility_violations(page)
    rule, element = violation.splitlines()[:2]
    assert rule == "label (critical): Form elements must have labels"
    assert element.strip().startswith("input:")


async def test_a_labelled_field_passes(tab):
    labelled = document("报名", "", "<h1>报名</h1><form><label>手机号<input></label></form>")
    async with tab() as page:
        await served(page, labelled)
        assert await accessibility_violations(page) == []


async def test_text_outside_a_landmark_is_named_among_the_best_practices_only(tab):
    html = Document("<!doctype html><html lang='zh-CN'><title>报名</title><h1>报名</h1>")
    html.headers = {}
    async with tab() as page:
        await served(page, html)
        assert await accessibility_violations(page, impacts=("moderate",)) == []
        found = await accessibility_violations(page, impacts=("moderate",), tags=BEST_PRACTICES)
    assert [v.split(" ", 1)[0] for v in found] == ["landmark-one-main", "region"]


async def test_a_page_wider_than_the_screen_is_named_but_not_a_table_in_its_own_box(tab):
    style = ".wide { width: 600px; } .scroll { overflow-x: auto; }"
    body = "<h1>报名</h1><div class='scroll'><table class='wide'><tr><td>1</td></tr></table></div>"
    boxed = document("报名", style, body)
    loose = document("报名", style, f"{body}<p class='wide'>一段很长的说明</p>")
    async with tab(viewport={"width": 320, "height": 640}) as page:
        await served(page, boxed)
        assert await accessibility_violations(page) == []
        await served(page, loose)
        [violation] = await accessibility_violations(page)
    rule, element = violation.splitlines()
    assert rule.startswith("reflow (serious): The page must not scroll sideways")
    assert element.strip() == "p.wide: 600px wide"

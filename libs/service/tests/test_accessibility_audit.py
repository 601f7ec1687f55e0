"""The accessibility audit of a page (`accessibility_audit`) in a real headless Chromium: it runs
under the public pages' strict Content-Security-Policy, which runs no script of the page's, and
names what to fix — the rule, and the element failing it."""

from wushe_service.accessibility_audit import accessibility_violations
from wushe_service.public_pages import document

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

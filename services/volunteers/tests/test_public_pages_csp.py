"""The volunteers service's public pages under their strict Content-Security-Policy, in a real
headless Chromium: the lists, the sign-up form (posted to itself, as `form-action 'self'`
allows) and an error page apply their own style and violate no policy."""

from __future__ import annotations

from wushe_service.browser_testing import csp_violations

from .conftest import PHONE

PAGES = ("/public/activities", "/public/resources", "/certificates/NO-SUCH-CODE?format=html")


async def test_the_public_pages_and_the_sign_up_raise_no_csp_violation(served, tab):
    async with tab(viewport=PHONE) as page:
        violations = await csp_violations(page.context)
        for path in PAGES:
            await page.goto(f"{served}{path}")
            # Their own style applies: the common one's font, not the browser's serif.
            font = await page.evaluate("getComputedStyle(document.body).fontFamily")
            assert font.startswith("system-ui"), (path, font)

        await page.goto(f"{served}/join")
        submit = page.get_by_role("button", name="提交报名")
        assert (await submit.bounding_box() or {}).get("height", 0) >= 44  # its style applies
        await submit.click()  # empty: the form again, its fields named
        await page.get_by_role("alert").wait_for()
        assert violations == []

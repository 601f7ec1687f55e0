"""The needs workbench under a strict Content-Security-Policy (no 'unsafe-inline' style), in
a real headless Chromium: the page and the visit record (入户走访记录表) it opens apply their own
style and violate no policy, while a <style> injected into the sheet is refused."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, csp_violations, sign_in

from .conftest import RESIDENT

INJECTED = """() => { const s = document.createElement("style");
  s.textContent = "h1 { color: rgb(1, 2, 3) }"; document.head.append(s);
  return getComputedStyle(document.querySelector("h1")).color; }"""


async def test_the_workbench_and_its_visit_record_raise_no_csp_violation(
    tab, served, resident, surveyed, token_for
):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "high"), days_ago=5)
    token = bare(await token_for(Role.social_worker, "王社工"))

    async with tab() as page:
        violations = await csp_violations(page.context)
        await sign_in(page, f"{served}/workbench", token)
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        async with page.expect_popup() as opening:
            await (
                page.locator("#file-visits tbody tr")
                .nth(0)
                .get_by_role("button", name="走访记录表")
                .click()
            )
        sheet = await opening.value
        await sheet.locator("h1", has_text="入户走访记录表").wait_for()
        background = await sheet.eval_on_selector("th", "e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(243, 243, 243)"  # its own style applies
        assert violations == []
        # Only the sheet's own style applies: another inline one is refused.
        assert await sheet.evaluate(INJECTED) != "rgb(1, 2, 3)"


async def test_the_workbench_and_the_visit_record_allow_no_unsafe_inline_style(
    needs, resident, surveyed, token_for
):
    someone = await resident()
    await surveyed(someone)
    survey_id = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"][0]
    page = await needs.get("/workbench")
    sheet = await needs.get(
        f"/surveys/{survey_id['survey_id']}?format=html",
        headers=await token_for(Role.social_worker, "王社工"),
    )
    assert sheet.status_code == 200, sheet.text
    for response in (page, sheet):
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy
        assert "style-src 'self'" in policy or "style-src 'sha256-" in policy
    assert sheet.headers["cache-control"] == "no-store"

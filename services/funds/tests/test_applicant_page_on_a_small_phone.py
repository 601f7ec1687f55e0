"""The applicants' page (项目申报与执行) on a small phone (375px, an iPhone's mini or SE), as a
coordinator reports a granted project's expense at the activity: the expense form, its receipt's
file field among its fields, stays within its card and the screen — the page does not scroll
sideways. In a real Chromium, against the real PostgreSQL and NATS."""

from __future__ import annotations

from wushe_service.browser_testing import unexpected

SMALL_PHONE = {"width": 375, "height": 812}


async def test_the_expense_form_stays_on_a_small_phones_screen(
    signed_in, funds, fund, grant_round, coordinator, approved_grant
):
    token, [team] = await coordinator("阳光儿童服务社")
    granted = await approved_grant(await grant_round(await fund()), 150_000, team_id=team)
    paid = await funds.post(f"/applications/{granted}/disbursements", json={"amount_fen": 100_000})
    assert paid.json()["paid"] is True, paid.text

    async with signed_in("/grants", token, viewport=SMALL_PHONE) as (page, errors):
        await page.click("button.tab[data-tab=projects]")
        project = page.locator(f"#projects-list li[data-application='{granted}']")
        await project.get_by_role("button", name="登记支出").click()
        receipt = project.locator("form.expense [name=receipt]")
        await receipt.wait_for()
        assert await page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        for shown in (project, receipt):
            box = await shown.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= SMALL_PHONE["width"]
        assert unexpected(errors) == []

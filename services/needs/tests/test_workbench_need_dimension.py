"""A need found on a visit is filed under the dimension its category usually answers (送餐 物质,
心理疏导 心理) unless the social worker chooses another — in a real headless Chromium, against
the real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import unexpected

from .conftest import RESIDENT


async def test_a_need_s_dimension_follows_its_category_until_chosen(workbench, needs, resident):
    someone = await resident()
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await page.click("#file-visit")
        form = page.locator("#survey-form")
        for dimension in ("physical", "psychological", "material", "spiritual"):
            await form.locator(f"input[name=level-{dimension}][value='1']").check()
        await page.click("#add-need")
        await page.click("#add-need")
        first, second = form.locator(".need").nth(0), form.locator(".need").nth(1)
        dimension = first.locator("[name=need-dimension]")
        await expect(dimension).to_have_value("material")  # 送餐, the first category
        await first.locator("[name=need-category]").select_option("mental-health")
        await expect(dimension).to_have_value("psychological")
        # Chosen by the social worker: a later category leaves it be.
        await second.locator("[name=need-category]").select_option("companionship")
        await second.locator("[name=need-dimension]").select_option("psychological")
        await second.locator("[name=need-category]").select_option("medical")
        await expect(second.locator("[name=need-dimension]")).to_have_value("psychological")
        await second.locator("[name=need-category]").select_option("companionship")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="发现需求 2 项").wait_for()
        [survey] = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"]
        found = (await needs.get(f"/surveys/{survey['survey_id']}")).json()["needs"]
        assert [(n["category"], n["dimension"]) for n in found] == [
            ("mental-health", "psychological"),
            ("companionship", "psychological"),
        ]
        assert unexpected(errors) == []

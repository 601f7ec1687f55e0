"""A resident who moved to another community of the office is moved from their file on the
workbench (更正信息), their open needs with them — in a real headless Chromium, against the
real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import unexpected

from .conftest import RESIDENT


async def test_a_resident_who_moved_is_moved_with_their_open_needs(
    workbench, needs, resident, surveyed, community
):
    someone = await resident()
    [need] = await surveyed(someone, ("meal-delivery", "material", "high"))
    await community("jiangbin", "江滨社区", "兰江街道")
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await page.click("#file-correct")
        form = page.locator("#correct-form")
        where = form.locator("[name=community_id]")
        await expect(where).to_have_value("fengshan")
        await where.select_option("jiangbin")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已迁到江滨社区，需求 1 项随之迁入").wait_for()
        assert (await needs.get(f"/residents/{someone}")).json()["community_id"] == "jiangbin"
        assert (await needs.get(f"/needs/{need}")).json()["community_id"] == "jiangbin"
        assert unexpected(errors) == []

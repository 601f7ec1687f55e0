"""The workbench's 需求清单 leads to the community's public pages — its needs list to print for
the residents' meeting and its wish board — in a real headless Chromium, against the real
PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import WAIT_MS, unexpected

from .conftest import RESIDENT


async def test_the_needs_tab_links_the_chosen_community_s_public_needs_list_and_wishes(
    workbench, resident, surveyed
):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "high"))
    await resident(community_id="jiangbin", name="李建国", id_number=None, phone="13900001111")
    async with workbench() as (page, errors):
        await page.locator("#community").select_option("jiangbin")
        await page.click(".tab[data-tab=needs]")
        shared = page.locator("#needs-public")
        await expect(shared).to_have_attribute(
            "href", "/public/needs?community_id=jiangbin", timeout=WAIT_MS
        )
        await expect(page.locator("#wishes-public")).to_have_attribute(
            "href", "/public/wishes?community_id=jiangbin"
        )
        await page.locator("#community").select_option("fengshan")
        await page.click(".tab[data-tab=needs]")
        await expect(shared).to_have_attribute("href", "/public/needs?community_id=fengshan")
        async with page.context.expect_page() as opened:
            await shared.click()
        public = await opened.value
        await public.wait_for_load_state()
        text = await public.text_content("main")
        assert "丰山社区" in text
        assert "送餐" in text
        assert "江滨社区" not in text
        assert RESIDENT["name"] not in text
        assert unexpected(errors) == []

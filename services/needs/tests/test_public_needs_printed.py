"""The public needs list printed for the residents' meeting or the notice board: its links to
its data (数据（JSON）, 下载表格（CSV）) are lines nobody on paper can follow, left off as the
navigation is; on screen they stay — in a real headless Chromium, against the real PostgreSQL
and NATS."""

from __future__ import annotations

from playwright.async_api import expect


async def test_the_data_links_are_on_screen_and_not_on_paper(tab, served, resident, surveyed):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "high"))
    async with tab() as page:
        await page.goto(f"{served}/public/needs?community_id=fengshan&format=html")
        json_link = page.get_by_role("link", name="数据（JSON）")
        csv_link = page.get_by_role("link", name="下载表格（CSV）")
        await expect(json_link).to_be_visible()
        await expect(csv_link).to_be_visible()
        await page.emulate_media(media="print")
        await expect(json_link).to_be_hidden()
        await expect(csv_link).to_be_hidden()
        await expect(page.get_by_role("heading", name="丰山社区")).to_be_visible()

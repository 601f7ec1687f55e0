"""A resident's file (居民档案) on the workbench lists every survey — a home visit, a phone
call — each with the button of the sheet it prints named as that sheet is (走访记录表,
电话访谈记录表), under headings that fit them all, in a real headless Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wushe_service.browser_testing import unexpected

from .conftest import RESIDENT


async def test_the_files_surveys_are_named_by_their_method(
    workbench, needs, resident, surveyed, levels
):
    someone = await resident()
    await surveyed(someone, days_ago=2)
    called = await needs.post(
        "/surveys",
        json={
            "resident_id": someone,
            "method": "phone",
            "dimensions": levels,
            "surveyed_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        },
    )
    assert called.status_code == 201, called.text

    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        visits = page.locator("#file-visits tbody tr")
        await visits.nth(1).wait_for()

        buttons = await visits.locator("button").all_text_contents()
        headings = await page.locator("#file-visits thead th").all_text_contents()
        async with page.expect_popup() as opening:
            await visits.nth(0).get_by_role("button", name="电话访谈记录表").click()
        sheet = await opening.value
        await sheet.locator("h1", has_text="电话访谈记录表").wait_for()
        assert unexpected(errors) == []

    assert buttons == ["电话访谈记录表", "走访记录表"]  # the latest first
    assert "走访人" not in headings

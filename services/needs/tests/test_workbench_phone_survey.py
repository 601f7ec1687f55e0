"""A phone survey recorded on the workbench is called one — the form's heading, its notes, the
message and the sheet it prints — not a home visit — in a real headless Chromium, against the
real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import WAIT_MS, unexpected

from .conftest import RESIDENT


async def test_a_phone_survey_is_named_as_one_from_form_to_printed_sheet(workbench, resident):
    someone = await resident()
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await page.click("#file-visit")
        heading = page.locator("#survey h2")
        await expect(heading).to_have_text(f"记录走访：{RESIDENT['name']}", timeout=WAIT_MS)
        form = page.locator("#survey-form")
        await form.locator("[name=method]").select_option("phone")
        await expect(heading).to_have_text(f"记录电话访谈：{RESIDENT['name']}")
        await expect(form.get_by_label("电话访谈记录")).to_be_visible()
        for dimension in ("physical", "psychological", "material", "spiritual"):
            await form.locator(f"input[name=level-{dimension}][value='1']").check()
        await form.locator("button[type=submit]").click()
        await page.locator(
            "#message", has_text=f"已保存 {RESIDENT['name']} 的电话访谈记录：发现需求 0 项"
        ).wait_for()
        async with page.expect_popup() as opening:
            await page.click("#message button:has-text('打印电话访谈记录表')")
        sheet = await opening.value
        await sheet.locator("h1", has_text="电话访谈记录表").wait_for()
        assert unexpected(errors) == []

"""In a real headless Chromium: a fund manager who has just recorded a donation prints its
acknowledgement (捐赠确认书) from the message that says it is recorded, with its number in the
fund — the donor at the desk waits for no search of the donations list."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_the_donation_just_recorded_is_printed_from_the_message(
    signed_in, funds, fund, token_for
):
    fund_id = await fund()  # the county's donation is the fund's first
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="登记捐赠").click(timeout=WAIT_MS)
        form = page.locator("#donation-form")
        await form.locator("[name=amount_fen]").fill("88")
        await form.locator("[name=receipt_number]").fill("FS-2026-0088")
        await form.locator("button[type=submit]").click()
        message = page.locator("#message", has_text="已登记 丰山社区慈善基金 收到捐赠 88.00 元")
        await message.wait_for(timeout=WAIT_MS)

        async with page.expect_popup() as opening:
            await message.locator("button", has_text="打印确认书").click(timeout=WAIT_MS)
        sheet = await opening.value
        await sheet.locator("h1", has_text="捐赠确认书").wait_for(timeout=WAIT_MS)
        head = await sheet.locator(".number").text_content()
        assert head == "丰山社区慈善基金 确认书编号：000002"
        assert "FS-2026-0088" in await sheet.locator("table").text_content()
        assert await sheet.locator("td.capitals").text_content() == "人民币捌拾捌元整"

        # The same donation sent again is a retry: the message offers the same sheet.
        await row.locator("button", has_text="登记捐赠").click(timeout=WAIT_MS)
        await form.locator("[name=amount_fen]").fill("88")
        await form.locator("[name=receipt_number]").fill("FS-2026-0088")
        await form.locator("button[type=submit]").click()
        again = page.locator("#message", has_text="此前已登记，未重复登记")
        await again.wait_for(timeout=WAIT_MS)
        async with page.expect_popup() as reopening:
            await again.locator("button", has_text="打印确认书").click(timeout=WAIT_MS)
        resheet = await reopening.value
        await resheet.locator("h1", has_text="捐赠确认书").wait_for(timeout=WAIT_MS)
        assert await resheet.locator(".number").text_content() == head
        assert unexpected(errors) == []

"""In a real headless Chromium: a fund manager types a receipt book (捐赠票据) into the
workbench one receipt after another — the donation form stays open for the next, emptied of
what was the last one's own, and a receipt number typed with a Chinese input method's dash is
recorded as the paper receipt writes it."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_the_next_receipt_is_typed_into_the_form_left_open(signed_in, funds, fund, token_for):
    fund_id = await fund(0)
    token = bare(await token_for(Role.fund_manager, "李会计"))

    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="登记捐赠").click(timeout=WAIT_MS)
        form = page.locator("#donation-form")
        await form.locator("[name=channel]").select_option("cash")
        amount = form.locator("[name=amount_fen]")
        await amount.fill("50")
        await form.locator("[name=receipt_number]").fill("WF—2026—0101")
        await form.locator("[name=donor_name]").fill("王大爷")
        await form.locator("[name=publish_donor_name]").check()
        await amount.press("Enter")
        await page.locator("#message", has_text="收到捐赠 50.00 元").wait_for(timeout=WAIT_MS)

        # The next receipt, without looking for the fund's 登记捐赠 again.
        assert await form.is_visible()
        assert await amount.evaluate("input => input === document.activeElement")
        assert await amount.input_value() == ""
        assert await form.locator("[name=receipt_number]").input_value() == ""
        assert await form.locator("[name=donor_name]").input_value() == ""
        assert not await form.locator("[name=publish_donor_name]").is_checked()
        assert await form.locator("[name=channel]").input_value() == "cash"
        await page.keyboard.type("20")
        await form.locator("[name=receipt_number]").fill("WF一2026一0102")
        await form.locator("[name=receipt_number]").press("Enter")
        await page.locator("#message", has_text="收到捐赠 20.00 元").wait_for(timeout=WAIT_MS)
        assert await form.is_visible()
        assert unexpected(errors) == []

    listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    assert [
        (d["amount_fen"], d["receipt_number"], d["channel"], d["donor_display"]) for d in listed
    ] == [
        (5_000, "WF-2026-0101", "cash", "王大爷"),
        (2_000, "WF-2026-0102", "cash", None),
    ]

"""In a real headless Chromium, on a phone: the refund form (退还捐赠), opened under its
donation's row, names the donation as the donor's papers do — its acknowledgement's number
(确认书编号) and its receipt number — and so does the message that it was paid back."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_the_refund_form_and_its_message_name_the_donation(signed_in, funds, fund, token_for):
    fund_id = await fund()  # the county's donation is the fund's first, 000001
    body = {"amount_fen": 24_690, "donor_kind": "individual", "receipt_number": "FS-2026-0102"}
    given = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert given.status_code == 201, given.text
    donation_id = given.json()["donation_id"]
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
        donation = page.locator(f"#donations-table tr[data-donation='{donation_id}']")
        await donation.locator("button", has_text="退还").click(timeout=WAIT_MS)
        form = page.locator("#refund-form")
        # Its row is marked while the form is open, and only it.
        assert await donation.get_attribute("aria-current") == "true"
        assert await page.locator("#donations-table tr[aria-current]").count() == 1
        await form.locator(".back").click()
        assert await page.locator("#donations-table tr[aria-current]").count() == 0
        await donation.locator("button", has_text="退还").click(timeout=WAIT_MS)
        what = await form.locator("h3 .what").text_content()
        assert what.startswith("确认书编号 000002，收据号 FS-2026-0102，")
        assert what.endswith("收到的 246.90 元（可退 246.90 元）")

        await form.locator("[name=amount_fen]").fill("46.90")
        await form.locator("[name=reason]").select_option("duplicate-payment")
        await form.locator("button[type=submit]").click()
        await page.locator(
            "#message",
            has_text="确认书编号 000002：已从 丰山社区慈善基金 退还 46.90 元（重复付款）",
        ).wait_for(timeout=WAIT_MS)

        # A donation without a receipt number is named by its acknowledgement's alone.
        first = page.locator("#donations-table tbody tr").first
        await first.locator("button", has_text="退还").click(timeout=WAIT_MS)
        assert (await form.locator("h3 .what").text_content()).startswith("确认书编号 000001，")
        assert "收据号" not in await form.locator("h3 .what").text_content()
        assert unexpected(errors) == []

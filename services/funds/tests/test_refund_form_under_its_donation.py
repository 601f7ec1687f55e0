"""In a real headless Chromium, on a desk's screen and on a phone: the refund form (退还捐赠)
opens right under the donation it pays back, not below the whole list; it goes away with a
cancel, a search or the refund made, and opens again under another donation."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def donate(funds, fund_id: str, amount: int) -> str:
    body = {"amount_fen": amount, "donor_kind": "individual"}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def row_before_the_form(page: Page) -> str | None:
    """The donation of the list's row just above the refund form's, if the form is in the list."""
    return await page.evaluate(
        """() => document.getElementById('refund-form').closest('#donations-table tr')
              ?.previousElementSibling?.dataset.donation ?? null"""
    )


@pytest.mark.parametrize("phone", [False, True], ids=["desk", "phone"])
async def test_the_refund_form_opens_under_its_donation(signed_in, funds, fund, token_for, phone):
    fund_id = await fund()
    second = await donate(funds, fund_id, 8_800)
    third = await donate(funds, fund_id, 12_000)
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, phone=phone) as (page, errors):
        await (
            page.locator(f"#funds-table tr[data-fund='{fund_id}']")
            .locator("button", has_text="捐赠记录")
            .click(timeout=WAIT_MS)
        )
        donation = page.locator(f"#donations-table tr[data-donation='{second}']")
        after = page.locator(f"#donations-table tr[data-donation='{third}']")
        rows = page.locator("#donations-table tbody tr[data-donation]")
        form = page.locator("#refund-form")
        await after.wait_for(timeout=WAIT_MS)

        await donation.locator("button", has_text="退还").click()

        await expect(form).to_be_visible(timeout=WAIT_MS)
        assert await row_before_the_form(page) == second
        above, shown, below = [
            await locator.bounding_box() or {} for locator in (donation, form, after)
        ]
        assert above["y"] + above["height"] <= shown["y"] + 1  # under its donation
        assert shown["y"] + shown["height"] <= below["y"]  # before the next one
        await expect(form.locator("[name=amount_fen]")).to_be_focused()

        # Cancelled: out of the list, which is as it was.
        await form.locator(".back").click()
        await expect(form).to_be_hidden()
        assert await row_before_the_form(page) is None
        assert await page.locator("#donations-table tr.refund-row").count() == 0
        assert await rows.count() == 3

        # Paid back: the list read again, the form gone from it and ready for another donation.
        await donation.locator("button", has_text="退还").click()
        await form.locator("[name=amount_fen]").fill("8.80")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="退还 8.80 元").wait_for(timeout=WAIT_MS)
        await expect(form).to_be_hidden()
        await expect(donation.locator("td").nth(5)).to_contain_text("尚余", timeout=WAIT_MS)
        assert await page.locator("#donations-table tr.refund-row").count() == 0
        await after.locator("button", has_text="退还").click()
        await expect(form).to_be_visible()
        assert await row_before_the_form(page) == third
        assert await page.locator("#donations-table tr[aria-current]").count() == 1

        # A search while it is open: the form closes, the donations found are listed.
        search = page.locator("#donations-search")
        await search.locator("[name=number]").fill("000003")
        await search.locator("button[type=submit]").click()
        await expect(rows).to_have_count(1, timeout=WAIT_MS)
        await expect(form).to_be_hidden()
        assert await page.locator("#donations-table tr.refund-row").count() == 0
        assert unexpected(errors) == []

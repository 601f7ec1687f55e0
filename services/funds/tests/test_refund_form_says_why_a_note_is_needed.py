"""In a real headless Chromium: a refund for reason 其他 without a note is refused beside the
note (说明), in the words of the desk, and nothing is paid back."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_a_refund_for_other_without_a_note_is_refused_beside_the_note(
    signed_in, funds, fund, token_for
):
    fund_id = await fund()
    body = {"amount_fen": 10_000, "donor_kind": "individual", "receipt_number": "FS-2026-0201"}
    given = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert given.status_code == 201, given.text
    donation_id = given.json()["donation_id"]
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
        donation = page.locator(f"#donations-table tr[data-donation='{donation_id}']")
        await donation.locator("button", has_text="退还").click(timeout=WAIT_MS)
        form = page.locator("#refund-form")
        await form.locator("[name=amount_fen]").fill("10")
        await form.locator("[name=reason]").select_option("other")
        await form.locator("button[type=submit]").click()

        await form.locator(".errors", has_text="说明：原因为“其他”时必填").wait_for(timeout=WAIT_MS)
        assert await form.locator("[name=note]").get_attribute("aria-invalid") == "true"
        assert unexpected(errors) == []
    listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    assert [d["refunded_fen"] for d in listed if d["donation_id"] == donation_id] == [0]

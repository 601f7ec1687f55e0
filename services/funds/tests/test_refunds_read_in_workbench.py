"""In a real headless Chromium, on a phone: 捐赠记录 says under what was refunded of a donation
each refund — when, how much, why, the staff's note — and whether all of it was, where it gave
a figure only."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def donate(funds, fund_id: str, amount: int) -> str:
    body = {"amount_fen": amount, "donor_kind": "individual"}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def refund(funds, fund_id: str, donation_id: str, **body) -> None:
    url = f"/funds/{fund_id}/donations/{donation_id}/refund"
    response = await funds.post(url, json=body)
    assert response.status_code == 201, response.text


async def test_each_refund_is_read_under_the_donation(signed_in, funds, fund, token_for):
    fund_id = await fund()
    part = await donate(funds, fund_id, 24_690)
    whole = await donate(funds, fund_id, 5_000)
    kept = await donate(funds, fund_id, 1_000)
    await refund(
        funds, fund_id, part, amount_fen=10_000, reason="duplicate-payment", note="重复扫码"
    )
    await refund(funds, fund_id, whole, reason="donor-request")
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)

        def refunded(donation_id: str):
            return page.locator(f"#donations-table tr[data-donation='{donation_id}'] td.money").nth(
                1
            )

        await page.locator(f"#donations-table tr[data-donation='{kept}']").wait_for()
        partly = await refunded(part).text_content()
        assert partly.startswith("100.00")
        assert "尚余 146.90 元" in partly
        assert "退还 100.00 元：重复付款" in partly
        assert "说明：重复扫码" in partly
        wholly = await refunded(whole).text_content()
        assert "已全部退还" in wholly
        assert "退还 50.00 元：捐赠人要求" in wholly
        assert "说明" not in wholly
        # A donation nothing was paid back of reads as before: a figure.
        assert await refunded(kept).text_content() == "0.00"
        # On a phone its lines wrap within the screen, the note too.
        box = await refunded(part).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 390
        assert unexpected(errors) == []

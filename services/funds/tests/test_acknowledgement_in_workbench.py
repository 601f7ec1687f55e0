"""The workbench's 打印确认书 in a real headless Chromium: a fund manager opens a donation's
acknowledgement from the donations list, in a new tab, the amount in capitals, under the
workbench's policy (its style its own, inline), readable on a phone."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected

from .conftest import PHONE


async def donate(funds, fund_id, amount, **more):
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def open_sheet(page, fund_id, donation_id):
    """The donation's 打印确认书 clicked in the fund's donations list: the tab it opens."""
    row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
    await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
    donation = page.locator(f"#donations-table tr[data-donation='{donation_id}']")
    async with page.expect_popup() as opening:
        await donation.locator("button", has_text="打印确认书").click(timeout=WAIT_MS)
    sheet = await opening.value
    await sheet.locator("h1", has_text="捐赠确认书").wait_for(timeout=WAIT_MS)
    return sheet


async def test_a_fund_manager_prints_a_donations_acknowledgement(signed_in, funds, fund, token_for):
    fund_id = await fund(0)
    donation_id = await donate(funds, fund_id, 120_005, donor_kind="enterprise",
                               donor_name="江滨超市", publish_donor_name=True,
                               channel="wechat-pay", receipt_number="FS-2026-0007")  # fmt: skip
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        sheet = await open_sheet(page, fund_id, donation_id)
        capitals = sheet.locator("td.capitals")
        assert await capitals.text_content() == "人民币壹仟贰佰元零伍分"
        text = await sheet.locator("body").text_content()
        for shown in ("江滨超市", "¥1,200.05", "微信支付", "FS-2026-0007", "第 1 条"):
            assert shown in text, shown
        # Its own inline style applies (the letterhead centred), its QR code is drawn.
        align = await sheet.eval_on_selector(".letterhead", "e => getComputedStyle(e).textAlign")
        assert align == "center"
        assert await sheet.locator(".check svg path").count() == 1
        # Printed on A4, the same sheet: nothing of the workbench on it.
        await sheet.emulate_media(media="print")
        assert await sheet.locator("nav, button, input").count() == 0
        assert unexpected(errors) == []


async def test_a_refunded_donations_acknowledgement_reads_on_a_phone(
    signed_in, funds, fund, token_for
):
    fund_id = await fund(0)
    donation_id = await donate(funds, fund_id, 30_000)
    refund = {"amount_fen": 30_000, "reason": "wrong-fund"}
    refunded = await funds.post(f"/funds/{fund_id}/donations/{donation_id}/refund", json=refund)
    assert refunded.status_code == 201, refunded.text
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, viewport=PHONE) as (page, errors):
        sheet = await open_sheet(page, fund_id, donation_id)
        assert await sheet.locator("h1").text_content() == "捐赠确认书（已退还）"
        warning = await sheet.locator(".refunded").text_content()
        assert "本笔捐赠已全额退还捐赠人" in warning
        assert "原因：误入本基金" in warning
        assert await sheet.locator("td.capitals").text_content() == "人民币叁佰元整"
        # Nothing runs off the side of a phone's screen: the long hash and address wrap.
        overflow = await sheet.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert unexpected(errors) == []

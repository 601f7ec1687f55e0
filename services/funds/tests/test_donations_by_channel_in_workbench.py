"""In a real headless Chromium: at month end a fund manager opens 捐赠记录 of a fund and, under
按渠道对账, reads the month's donations by channel with their total — received, refunded,
standing — and saves them as the CSV the accountant opens in Excel."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_a_months_donations_by_channel_are_summed_and_saved(
    signed_in, funds, fund, token_for
):
    fund_id = await fund(0)
    ids = {}
    for amount, channel in [(100_000, "bank-transfer"), (20_000, "cash"), (30_000, "alipay")]:
        body = {"amount_fen": amount, "donor_kind": "individual", "channel": channel}
        given = await funds.post(f"/funds/{fund_id}/donations", json=body)
        assert given.status_code == 201, given.text
        ids[channel] = given.json()["donation_id"]
    refund = {"amount_fen": 5_000, "reason": "donor-request"}
    refunded = await funds.post(f"/funds/{fund_id}/donations/{ids['cash']}/refund", json=refund)
    assert refunded.status_code == 201, refunded.text
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
        form = page.locator("#channels-form")
        # This month is chosen already: what a fund manager reconciles at its end.
        assert await form.locator("[name=month]").input_value() != ""
        await form.locator("button[type=submit]").click()
        rows = page.locator("#channels-table tbody tr")
        await rows.nth(3).wait_for()
        shown = [
            [(await c.text_content() or "").strip() for c in await r.locator("td").all()]
            for r in await rows.all()
        ]
        assert shown == [
            ["银行转账", "1", "1000.00", "0.00", "1000.00"],
            ["支付宝", "1", "300.00", "0.00", "300.00"],
            ["现金", "1", "200.00", "50.00", "150.00"],
            ["合计", "3", "1500.00", "50.00", "1450.00"],
        ]

        async with page.expect_download() as downloading:
            await form.locator("button.csv").click()
        download = await downloading.value
        saved = (await download.path()).read_bytes()
        assert download.suggested_filename.endswith("按渠道对账.csv")
        assert saved.startswith(b"\xef\xbb\xbf")
        assert "合计,,3,150000,1500.00,1,5000,50.00,145000,1450.00" in saved.decode("utf-8-sig")

        # A month with none: said so, in the same table.
        await form.locator("[name=month]").fill("2001-01")
        await form.locator("button[type=submit]").click()
        await page.locator("#channels-table td.empty", has_text="2001-01").wait_for()
        assert unexpected(errors) == []


async def test_a_channels_donations_are_found_in_the_list(signed_in, funds, fund, token_for):
    fund_id = await fund(0)
    ids = {}
    for amount, channel in [(100_000, "bank-transfer"), (20_000, "cash"), (30_000, "wechat")]:
        body = {"amount_fen": amount, "donor_kind": "individual", "channel": channel}
        given = await funds.post(f"/funds/{fund_id}/donations", json=body)
        assert given.status_code == 201, given.text
        ids[channel] = given.json()["donation_id"]
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
        rows = page.locator("#donations-table tbody tr")
        await rows.nth(2).wait_for()
        search = page.locator("#donations-search")

        async def found(label: str) -> list[str | None]:
            await search.locator("[name=channel]").select_option(label=label)
            await page.evaluate(
                "document.querySelector('#donations-table tbody').replaceChildren()"
            )
            await search.locator("button[type=submit]").click()
            await rows.first.wait_for()
            return [await r.get_attribute("data-donation") for r in await rows.all()]

        assert await found("现金") == [ids["cash"]]
        # WeChat Pay's older code is WeChat Pay too.
        assert await found("微信支付") == [ids["wechat"]]
        assert await found("全部") == [ids["bank-transfer"], ids["cash"], ids["wechat"]]
        assert unexpected(errors) == []

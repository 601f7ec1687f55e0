"""In a real headless Chromium: a donor comes back to the desk with their acknowledgement
(确认书编号) or receipt (收据号), and the fund manager finds the donation in 捐赠记录 by it —
or by the day it came — rather than paging through the list."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def donate(funds, fund_id: str, amount: int, **more) -> str:
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def test_a_donation_is_found_by_number_receipt_or_day(signed_in, funds, fund, token_for):
    fund_id = await fund()  # the county's donation is the fund's first, 000001
    second = await donate(funds, fund_id, 8_800, receipt_number="FS-2026-0088")
    third = await donate(funds, fund_id, 12_000)
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.locator("button", has_text="捐赠记录").click(timeout=WAIT_MS)
        rows = page.locator("#donations-table tbody tr")
        await page.locator(f"#donations-table tr[data-donation='{third}']").wait_for()
        assert await rows.count() == 3
        search = page.locator("#donations-search")

        async def found(**fields: str) -> list[str | None]:
            for name, value in fields.items():
                await search.locator(f"[name={name}]").fill(value)
            # The rows shown taken away, so that those of this search's answer are waited for.
            await page.evaluate(
                "document.querySelector('#donations-table tbody').replaceChildren()"
            )
            await search.locator("button[type=submit]").click()
            await rows.first.wait_for()
            return [await r.get_attribute("data-donation") for r in await rows.all()]

        # The number as the sheet prints it.
        assert await found(number="000002") == [second]
        assert "确认书编号 000002" in await rows.first.text_content()
        # A number the fund has not given: said so, in the same list.
        assert await found(number="7") == [None]
        await page.locator("#donations-table td.empty", has_text="没有找到").wait_for()
        # The receipt number, the number cleared.
        assert await found(number="", receipt_number="FS-2026-0088") == [second]

        # Not a number: said beside the box, nothing asked.
        await search.locator("[name=receipt_number]").fill("")
        await search.locator("[name=number]").fill("FS-0088")
        await search.locator("button[type=submit]").click()
        await search.locator(".errors", has_text="确认书编号").wait_for()
        assert await search.locator("[name=number]").get_attribute("aria-invalid") == "true"

        # By day: everything came today, in the office's time zone; a later day has none.
        today = await page.evaluate(
            "zone => new Intl.DateTimeFormat('en-CA', {timeZone: zone}).format(new Date())",
            await page.evaluate("JSON.parse(document.getElementById('config').textContent)"
                                ".timezone"),
        )  # fmt: skip
        await search.locator("[name=number]").fill("")
        await search.locator("[name=received_from]").fill(today)
        await search.locator("[name=received_to]").fill(today)
        await search.locator("button[type=submit]").click()
        await page.locator(f"#donations-table tr[data-donation='{third}']").wait_for()
        assert await rows.count() == 3
        assert await search.locator("[aria-invalid]").count() == 0
        # A period that ends before it starts: said beside its end, nothing asked.
        await search.locator("[name=received_from]").fill("2099-01-31")
        await search.locator("[name=received_to]").fill("2099-01-01")
        await search.locator("button[type=submit]").click()
        await search.locator(".errors", has_text="收到日期到：不能早于起始日期").wait_for()
        assert await rows.count() == 3  # the list as it was
        await search.locator("[name=received_from]").fill("2099-01-01")
        await search.locator("[name=received_to]").fill("2099-01-31")
        await search.locator("button[type=submit]").click()
        await page.locator("#donations-table td.empty", has_text="没有找到").wait_for()

        # 显示全部: the search cleared, the whole list back.
        await search.locator("button.clear").click()
        await page.locator(f"#donations-table tr[data-donation='{second}']").wait_for()
        assert await rows.count() == 3
        assert await search.locator("[name=received_from]").input_value() == ""
        assert unexpected(errors) == []

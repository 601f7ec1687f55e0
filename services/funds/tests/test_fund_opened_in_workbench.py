"""In a real headless Chromium: a fund manager opens a fund from the workbench — a
community's or the office's (全域) — and records its first donation, with no one at a
command line; a fund without a name is refused beside its field, and nothing is opened."""

from __future__ import annotations

from uuid import uuid4

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def funds_named(funds, name):
    listed = (await funds.get("/funds")).json()["items"]
    return [(f["name"], f["community_id"]) for f in listed if f["name"] == name]


async def test_a_community_fund_is_opened_and_takes_its_first_donation(signed_in, funds, token_for):
    name = f"东关街道社区慈善基金 {uuid4().hex[:6]}"
    token = bare(await token_for(Role.fund_manager, "李会计"))

    async with signed_in("/workbench", token) as (page, errors):
        await page.get_by_role("button", name="开设基金").first.click(timeout=WAIT_MS)
        form = page.locator("#fund-open-form")
        await form.locator("[name=name]").fill(name)
        await form.locator("[name=community_id]").select_option(label="凤山街道 丰山社区")
        await form.locator("button[type=submit]").click()
        await page.locator(
            "#message", has_text=f"已开设基金「{name}」（凤山街道 丰山社区）"
        ).wait_for(timeout=WAIT_MS)
        assert await form.is_hidden()
        row = page.locator("#funds-table tr", has_text=name)
        assert "丰山社区" in await row.text_content()

        await row.locator("button", has_text="登记捐赠").click()
        donation = page.locator("#donation-form")
        await donation.locator("[name=amount_fen]").fill("1000")
        await donation.locator("[name=amount_fen]").press("Enter")
        await page.locator("#message", has_text="收到捐赠 1000.00 元").wait_for(timeout=WAIT_MS)
        assert unexpected(errors) == []

    assert await funds_named(funds, name) == [(name, "fengshan")]


async def test_an_office_wide_fund_is_opened_on_a_phone(signed_in, funds, token_for):
    name = f"奎文区社区公益创投基金 {uuid4().hex[:6]}"
    token = bare(await token_for(Role.fund_manager, "李会计"))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        await page.get_by_role("button", name="开设基金").first.click(timeout=WAIT_MS)
        form = page.locator("#fund-open-form")
        assert await form.locator("[name=community_id]").input_value() == ""  # 全域 first
        await form.locator("[name=name]").fill(name)
        await form.locator("[name=name]").press("Enter")
        await page.locator("#message", has_text="已开设基金").wait_for(timeout=WAIT_MS)
        assert unexpected(errors) == []

    assert await funds_named(funds, name) == [(name, None)]


async def test_a_fund_without_a_name_is_refused_beside_its_field(signed_in, funds, token_for, sql):
    token = bare(await token_for(Role.fund_manager, "李会计"))
    before = await sql("SELECT count(*) AS n FROM funds.events")

    async with signed_in("/workbench", token) as (page, errors):
        await page.get_by_role("button", name="开设基金").first.click(timeout=WAIT_MS)
        form = page.locator("#fund-open-form")
        await form.locator("[name=name]").fill("   ")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="基金名称：必填").wait_for(timeout=WAIT_MS)
        assert await form.locator("[name=name]").get_attribute("aria-invalid") == "true"
        assert unexpected(errors) == []

    assert await sql("SELECT count(*) AS n FROM funds.events") == before

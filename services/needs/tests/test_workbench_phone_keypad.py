"""A phone number typed on a phone at a resident's door: the workbench's phone fields ask the
phone for its number pad (`type="tel"`), not the full keyboard, and what is typed is sent as
it was — in a real headless Chromium, against the real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import unexpected


async def test_the_phone_fields_bring_up_the_number_pad(workbench, needs, community):
    await community()
    async with workbench() as (page, errors):
        for form in ("#register-form", "#correct-form"):
            await expect(page.locator(f"{form} [name=phone]")).to_have_attribute("type", "tel")
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=name]").fill("张桂英")
        await form.locator("[name=birth_year]").fill("1942")
        await form.locator("[name=phone]").fill("0574-6234 5678")
        await form.locator("input[name=groups][value=elderly_alone]").check()
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已登记居民 张桂英").wait_for()
        found = await needs.post("/residents/search", json={"phone": "057462345678"})
        [registered] = found.json()["items"]
        assert registered["personal_data"]["name"] == "张桂英"
        assert unexpected(errors) == []

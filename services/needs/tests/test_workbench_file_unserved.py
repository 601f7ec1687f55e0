"""A resident's file does not offer 记录走访 where the API would refuse the visit at the end of
the form — the resident withdrew consent to be served, or their data was erased — and says
why — in a real headless Chromium, against the real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import WAIT_MS, unexpected

from .conftest import RESIDENT


async def test_a_resident_who_withdrew_from_services_is_not_offered_a_visit(
    workbench, needs, resident
):
    someone = await resident(consent={"given_by": "self"})
    withdrawn = await needs.post(f"/residents/{someone}/consents/services/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await expect(page.locator("#file-no-visit")).to_contain_text(
            "已撤回接受服务的同意", timeout=WAIT_MS
        )
        await expect(page.locator("#file-visit")).to_be_hidden()
        # Consent given again: the visit is offered again.
        form = page.locator("#consent-form")
        await form.locator("[name=purpose]").select_option("services")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已记录：本人同意接受服务").wait_for()
        await expect(page.locator("#file-visit")).to_be_visible()
        await expect(page.locator("#file-no-visit")).to_be_hidden()
        assert unexpected(errors) == []

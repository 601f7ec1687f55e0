"""A resident's file offers to record only the consents not on record: one recorded again would
move the day it was given to today — in a real headless Chromium, against the real PostgreSQL
and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import unexpected

from .conftest import RESIDENT


async def _open_file(page, resident_id: str) -> None:
    await page.click(".tab[data-tab=roster]")
    row = page.locator(f"#roster-table tr[data-resident='{resident_id}']")
    await row.get_by_role("button", name=RESIDENT["name"]).click()
    await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()


async def test_a_consent_on_record_is_not_offered_again(workbench, needs, resident):
    someone = await resident(consent={"given_by": "self"})
    async with workbench() as (page, errors):
        await _open_file(page, someone)
        form = page.locator("#consent-form")
        purpose = form.locator("[name=purpose]")
        await expect(purpose.locator("option")).to_have_text(["接受服务", "与合作机构共享"])
        await expect(purpose).to_have_value("services")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已记录：本人同意接受服务").wait_for()
        await expect(purpose.locator("option")).to_have_text(["与合作机构共享"])
        filed = (await needs.get(f"/residents/{someone}")).json()
        granted = [c["purpose"] for c in filed["consent_history"] if c["change"] == "granted"]
        assert granted == ["personal_data", "services"]
        assert unexpected(errors) == []


async def test_with_every_consent_on_record_the_form_is_not_shown(workbench, needs, resident):
    someone = await resident(consent={"given_by": "self"})
    for purpose in ("services", "sharing"):
        given = await needs.post(
            f"/residents/{someone}/consents", json={"purpose": purpose, "given_by": "self"}
        )
        assert given.status_code == 204, given.text
    async with workbench() as (page, errors):
        await _open_file(page, someone)
        await expect(page.locator("#consent-form")).to_be_hidden()
        assert unexpected(errors) == []

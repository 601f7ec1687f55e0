"""A resident's file on the social workers' workbench records a consent withdrawn (撤回同意) and
a request to be erased (删除个人信息), saying what follows before it is done — in a real
headless Chromium on a phone's screen, against the real PostgreSQL and NATS."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.browser_testing import WAIT_MS, unexpected

from .conftest import RESIDENT


async def _open_file(page, resident_id: str) -> None:
    await page.click(".tab[data-tab=roster]")
    row = page.locator(f"#roster-table tr[data-resident='{resident_id}']")
    await row.get_by_role("button", name=RESIDENT["name"]).click()
    await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()


async def test_a_resident_withdraws_consent_to_services_then_asks_to_be_erased(
    workbench, needs, resident, surveyed, wish_body
):
    someone = await resident(consent={"given_by": "self"})
    [need] = await surveyed(someone, ("meal-delivery", "material", "high"))
    posted = await needs.post("/wishes", json=wish_body(need_id=need, resident_id=someone))
    assert posted.status_code == 201, posted.text
    async with workbench() as (page, errors):
        await _open_file(page, someone)
        await page.click("#file-withdraw")
        form = page.locator("#withdraw-form")
        # What withdrawing does is said before it is done.
        await form.locator("[name=purpose]").select_option("services")
        await expect(form.locator(".consequence")).to_contain_text("不能再为其记录走访")
        await form.locator("[name=reason]").select_option("by_request")
        await form.get_by_role("button", name="确认撤回", exact=True).click()
        await page.locator("#message", has_text="已撤回接受服务的同意；撤下微心愿 1 个").wait_for()
        filed = (await needs.get(f"/residents/{someone}")).json()
        [withdrawn] = [c for c in filed["consent_history"] if c["change"] == "withdrawn"]
        assert (withdrawn["purpose"], withdrawn["reason"]) == ("services", "by_request")
        assert (await needs.get(f"/wishes/{posted.json()['wish_id']}")).json()["state"] == (
            "cancelled"
        )
        await expect(page.locator("#file-facts")).to_contain_text("接受服务：已于")

        # Then to be erased: a purpose withdrawn already is not offered again.
        await page.click("#file-withdraw")
        purposes = await form.locator("[name=purpose] option").all_text_contents()
        assert "接受服务" not in purposes
        await form.locator("[name=purpose]").select_option("personal_data")
        await expect(form.locator(".consequence")).to_contain_text("无法恢复")
        await form.get_by_role("button", name="确认撤回并删除个人信息").click()
        await page.locator("#message", has_text="个人信息已删除").wait_for()
        await expect(page.locator("#file-name")).to_have_text("（个人信息已删除）", timeout=WAIT_MS)
        await expect(page.locator("#file-withdraw")).to_be_hidden()
        filed = (await needs.get(f"/residents/{someone}")).json()
        assert filed["erased"] is True
        assert [c["reason"] for c in filed["consent_history"] if c["change"] == "withdrawn"] == [
            "by_request",
            "by_request",
        ]
        assert unexpected(errors) == []


async def test_a_resident_registered_before_consenting_is_erased_as_asked(
    workbench, needs, resident
):
    someone = await resident()  # 暂未取得: no consent to keep their data on record
    async with workbench() as (page, errors):
        await _open_file(page, someone)
        await page.click("#file-withdraw")
        form = page.locator("#withdraw-form")
        await expect(form.locator("[name=purpose]")).to_have_value("personal_data")
        await form.get_by_role("button", name="确认撤回并删除个人信息").click()
        await page.locator("#message", has_text="个人信息已删除").wait_for()
        assert (await needs.get(f"/residents/{someone}")).json()["erased"] is True
        assert unexpected(errors) == []

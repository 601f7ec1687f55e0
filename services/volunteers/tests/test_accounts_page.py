"""账号管理 in a real headless Chromium, on a phone's screen: the office admin signs in, makes an
account for a volunteer found by name, sees its token once — copied, then gone from the page —
and revokes it after confirming; the token works until then and is refused after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from wushe_events.testing import wait_until
from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected
from wushe_service.testing import ADMIN_TOKEN

from .conftest import PHONE

CLIPBOARD = ["clipboard-read", "clipboard-write"]


async def test_an_admin_makes_an_account_sees_its_token_once_and_revokes_it(
    volunteers, volunteer, signed_in
):
    person = await volunteer(name="李明")
    async with signed_in("/accounts", ADMIN_TOKEN, phone=True, permissions=CLIPBOARD) as (
        page,
        errors,
    ):
        await expect(page.locator("#accounts-table")).to_contain_text("bootstrap-admin")
        await page.click("#create-open")
        form = page.locator("#create-form")
        await form.locator("[name=role]").select_option("volunteer")
        await expect(form.locator(".role-hint")).to_contain_text("须选定本人")
        await form.locator("[name=who]").fill("李明")
        await form.locator("button.find").click()
        await expect(form.locator(f"[name=person_id][value='{person}']")).to_be_checked()
        await expect(form.locator("[name=name]")).to_have_value("李明")
        await form.locator("[name=street]").select_option("阳明街道")
        await form.locator("button[type=submit]").click()

        issued = page.locator("#issued")
        await expect(issued).to_be_visible()
        await expect(issued).to_contain_text("只显示一次，请妥善转交")
        token = await page.locator("#issued-token").input_value()
        assert token.startswith("wst_")
        me = await volunteers.get("/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert (me.json()["role"], me.json()["person_id"]) == ("volunteer", person)
        assert me.json()["street"] == "阳明街道"

        await page.click("#issued-copy")
        await expect(page.locator("#message")).to_contain_text("已复制")
        assert await page.evaluate("navigator.clipboard.readText()") == token

        await page.click("#issued-close")
        await expect(issued).to_be_hidden()
        assert token not in await page.content()

        row = page.locator("#accounts-table tbody tr", has_text="李明")
        await expect(row).to_contain_text("志愿者")
        await expect(row).to_contain_text("阳明街道")
        await expect(row).to_contain_text("长期")  # no expiry chosen: none
        revoke = row.get_by_role("button", name="撤销")
        box = await revoke.bounding_box()
        assert box is not None
        assert 0 <= box["x"]
        assert box["x"] + box["width"] <= PHONE["width"]
        await revoke.click()
        confirm = page.locator("#revoke-form")
        await expect(confirm).to_contain_text("撤销账号：李明")
        await confirm.locator("button[type=submit]").click()
        await expect(page.locator("#message")).to_contain_text("已撤销账号：李明")
        await expect(page.locator("#accounts-table tbody tr", has_text="李明")).to_have_count(0)

        async def refused() -> bool:
            me = await volunteers.get("/me", headers={"Authorization": f"Bearer {token}"})
            return me.status_code == 401

        await wait_until(refused, timeout=10, message="the revoked token is refused")
        await page.locator("#show").select_option("all")
        await expect(page.locator("#accounts-table tbody tr", has_text="李明")).to_contain_text(
            "已撤销"
        )
        assert unexpected(errors) == []


async def test_a_refusal_is_said_on_the_form_and_makes_nothing(volunteers, signed_in):
    async with signed_in("/accounts", ADMIN_TOKEN) as (page, _errors):
        await expect(page.locator("#accounts-table")).to_contain_text("bootstrap-admin")
        await page.click("#create-open")
        form = page.locator("#create-form")
        await form.locator("[name=role]").select_option("reviewer")
        await form.locator("[name=name]").fill("赵评审")
        await form.locator("[name=expires_at]").select_option("days-90")
        await form.locator("button[type=submit]").click()
        await expect(form.locator(".errors")).to_contain_text("代表的人员")
        await expect(page.locator("#issued")).to_be_hidden()
    listed = (await volunteers.get("/accounts")).json()["items"]
    assert [a["name"] for a in listed] == ["bootstrap-admin"]


async def test_an_account_for_a_term_expires_at_its_end(volunteers, signed_in):
    async with signed_in("/accounts", ADMIN_TOKEN) as (page, _errors):
        await expect(page.locator("#accounts-table")).to_contain_text("bootstrap-admin")
        await page.click("#create-open")
        form = page.locator("#create-form")
        await form.locator("[name=role]").select_option("viewer")
        await form.locator("[name=name]").fill("市民政局查看")
        await form.locator("[name=expires_at]").select_option("days-90")
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#issued")).to_be_visible()
        row = page.locator("#accounts-table tbody tr", has_text="市民政局查看")
        await expect(row).to_contain_text("至 ")
    [made] = [
        a for a in (await volunteers.get("/accounts")).json()["items"] if a["role"] == "viewer"
    ]
    left = datetime.fromisoformat(made["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=89) < left <= timedelta(days=90)


@pytest.mark.parametrize("role", [Role.coordinator, Role.social_worker])
async def test_only_an_admin_may_use_the_page(token_for, signed_in, role):
    token = bare(await token_for(role, "王协调"))
    async with signed_in("/accounts", token) as (page, _errors):
        await expect(page.locator("#signin-error")).to_contain_text("不能使用账号管理")
        await expect(page.locator("#work")).to_be_hidden()

"""账号管理 in a real headless Chromium: the answer of a new account is lost on the way back (a
dropped line); the admin presses 发放 again and is told the account was made and its token is
not shown again — and no second token is made."""

from __future__ import annotations

from uuid import uuid4

from playwright.async_api import Route, expect

from wushe_service import testing
from wushe_service.browser_testing import unexpected
from wushe_service.testing import ADMIN_TOKEN


async def test_a_form_sent_again_after_a_lost_answer_is_told_the_token_was_shown_once(
    volunteers, signed_in, database_url
):
    name = f"查看{uuid4().hex[:6]}"
    lost: list[str] = []

    async def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST" or lost:
            await route.continue_()
            return
        answer = await route.fetch()  # done on the server: the token is made
        lost.append((await answer.json())["token"])
        await route.abort("connectionreset")

    async with signed_in("/accounts", ADMIN_TOKEN) as (page, errors):
        await page.route("**/accounts", lose_the_first_answer)
        await page.click("#create-open")
        form = page.locator("#create-form")
        await form.locator("[name=role]").select_option("viewer")
        await form.locator("[name=name]").fill(name)
        await form.locator("[name=expires_at]").select_option("days-30")
        await form.locator("button[type=submit]").click()
        await expect(form.locator(".errors")).to_contain_text("无法连接服务")

        await form.locator("button[type=submit]").click()

        message = page.locator("#message")
        await expect(message).to_contain_text("此请求已处理")
        await expect(message).to_contain_text(f"账号“{name}”（查看）已经发放")
        await expect(message).to_contain_text("撤销该账号后重新发放")
        await expect(form).to_be_hidden()
        await expect(page.locator("#issued")).to_be_hidden()
        await expect(page.locator("#accounts-table tbody tr", has_text=name)).to_have_count(1)
        assert lost
        assert lost[0] not in await page.content()
        assert [e for e in unexpected(errors) if "connectionreset" not in e.lower()] == []

    rows = await testing.sql(database_url)("SELECT count(*) FROM auth.tokens WHERE name = $1", name)
    assert rows[0][0] == 1

"""审计查询 in a real headless Chromium: a wish's title is not in 操作记录, only that it was
withheld and how long it was; 查看原文 shows it, and the opening is then in 查阅记录."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

TITLE = "给独居老人买一台收音机"


async def test_an_auditor_opens_a_withheld_title_and_the_read_log_says_so(
    needs, token_for, resident, wish_body, signed_in
):
    resident_id = await resident()
    posted = await needs.post("/wishes", json=wish_body(title=TITLE, resident_id=resident_id))
    assert posted.status_code == 201, posted.text
    auditor = bare(await token_for(Role.auditor, "市审计局"))

    async with signed_in("/audit", auditor) as (page, errors):
        wish = page.locator("#events-table tbody tr", has_text="发布微心愿")
        await expect(wish).to_contain_text(f"已隐去：标题（{len(TITLE)}字）")
        assert TITLE not in await page.content()

        await wish.get_by_role("button", name="查看原文").click()

        await expect(wish).to_contain_text(f"标题：{TITLE}")
        await expect(page.locator("#message")).to_have_text("已显示原文，并记入查阅记录。")
        await page.locator("#filters button[type=submit]").click()
        opened = page.locator("#reads-table tbody tr", has_text="市审计局")
        await expect(opened).to_contain_text("审计查看操作记录原文（标题）")
        await expect(opened).to_contain_text(resident_id)
        assert unexpected(errors) == []

"""The volunteers' micro-wish page (认领微心愿) in a real headless Chromium: a volunteer signs in
with their own token, claims a wish from the board (and is told in Chinese when someone was
quicker), reports progress, says it is done with its hours, gives another back; what the page
sends is what the API records, and whose wish it is never reaches the page."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, errors_of, sign_in, unexpected

from .conftest import RESIDENT


async def test_a_volunteer_claims_reports_progress_fulfils_and_gives_back(
    signed_in, needs, resident, community, known_volunteer, wish_body, token_for
):
    li = await known_volunteer("小李")
    other = await known_volunteer("小张")
    resident_id = await resident()  # in 丰山社区
    await community("kongshan", "空山社区", "阳明街道")

    async def post(**changes) -> str:
        response = await needs.post("/wishes", json=wish_body(**changes))
        assert response.status_code == 201, response.text
        return response.json()["wish_id"]

    radio = await post(title="一台收音机", resident_id=resident_id)
    visit = await post(title="陪老人聊聊天", category="companionship", estimated_value_fen=0)
    taken = await post(title="一副老花镜")
    elsewhere = await post(title="一把轮椅", community_id="kongshan")
    token = bare(await token_for(Role.volunteer, "李明", person=li))

    async def wish(wish_id: str) -> dict:
        return (await needs.get(f"/wishes/{wish_id}")).json()

    async with signed_in("/my", token) as (page, errors):
        await expect(page.locator("#board h2")).to_be_focused(timeout=WAIT_MS)
        cards = page.locator("#board-list li")
        await expect(cards).to_have_count(4, timeout=WAIT_MS)
        assert await page.text_content("#who") == "李明"
        await page.locator("#community").select_option("fengshan")
        await expect(cards).to_have_count(3, timeout=WAIT_MS)
        assert await page.locator(f"li[data-wish='{elsewhere}']").count() == 0
        radio_card = page.locator(f"#board-list li[data-wish='{radio}']")
        assert "约 ¥150.00" in await radio_card.text_content()
        assert "丰山社区" in await radio_card.text_content()
        assert "无需物资" in await page.locator(f"li[data-wish='{visit}']").text_content()
        assert RESIDENT["name"] not in await page.content()  # whose wish: never shown

        await radio_card.get_by_role("button", name="认领").click()
        await page.locator("#message", has_text="已认领「一台收音机」").wait_for()
        await expect(cards).to_have_count(2, timeout=WAIT_MS)
        assert ((await wish(radio))["state"], (await wish(radio))["claimant_id"]) == (
            "claimed",
            li,
        )

        # Someone was quicker: said so, and the board as it now stands.
        quicker = await needs.post(f"/wishes/{taken}/claim", json={"claimant_id": other})
        assert quicker.status_code == 200, quicker.text
        await page.locator(f"li[data-wish='{taken}'] button", has_text="认领").click()
        await page.locator("#message.error", has_text="已被其他志愿者认领").wait_for()
        await expect(cards).to_have_count(1, timeout=WAIT_MS)
        assert (await wish(taken))["claimant_id"] == other

        # Claimed by them meanwhile, then given back from the page.
        claimed = await needs.post(f"/wishes/{visit}/claim", json={"claimant_id": li})
        assert claimed.status_code == 200, claimed.text
        await page.click(".tab[data-tab=mine]")
        mine = page.locator("#mine-list li")
        await expect(mine).to_have_count(2, timeout=WAIT_MS)
        await page.locator(
            f"#mine-list li[data-wish='{visit}'] button", has_text="放弃认领"
        ).click()
        await page.locator("#message", has_text="已放弃认领「陪老人聊聊天」").wait_for()
        await expect(mine).to_have_count(1, timeout=WAIT_MS)
        assert (await wish(visit))["state"] == "posted"

        # Progress, then done, with the hours it took.
        before = (await wish(radio))["last_activity_at"]
        radio_mine = page.locator(f"#mine-list li[data-wish='{radio}']")
        await radio_mine.get_by_role("button", name="报告进展").click()
        await page.locator("#message", has_text="已报告「一台收音机」的进展").wait_for()
        assert (await wish(radio))["last_activity_at"] != before
        await radio_mine.get_by_role("button", name="已完成").click()
        form = page.locator("#fulfil-form")
        await form.locator(".what", has_text="一台收音机").wait_for()
        await form.locator("[name=hours]").fill("200")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="时长：须不大于 100").wait_for()
        assert (await wish(radio))["state"] == "claimed"
        await form.locator("[name=hours]").fill("0.1")  # as the field's hint says: quarters
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="时长：按一刻钟计，须为 0.25 的倍数").wait_for()
        assert (await wish(radio))["state"] == "claimed"
        await form.locator("[name=hours]").fill("2.5")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="等待社工确认").wait_for()
        await radio_mine.locator(".state", has_text="已实现").wait_for()
        assert "等待社工确认" in await radio_mine.text_content()
        assert await radio_mine.locator("button").count() == 0
        assert (await wish(radio))["state"] == "fulfilled"
        assert unexpected(errors) == []


async def test_the_page_is_for_the_volunteer_themself(
    tab, served, community, known_volunteer, token_for
):
    await community()
    li = await known_volunteer("小李")
    refusals = (
        ("not-a-token", "令牌无效"),
        (await token_for(Role.social_worker, "王社工"), "此令牌的角色（社工）不能使用本页面"),
        (await token_for(Role.volunteer, "没有指明志愿者"), "--person"),
    )
    async with tab() as page:
        errors = errors_of(page)
        for token, said in refusals:
            typed = token if isinstance(token, str) else bare(token)
            await sign_in(page, f"{served}/my", typed)
            await page.locator("#signin-error", has_text=said).wait_for()
            assert await page.is_visible("#signin")
            assert await page.evaluate("sessionStorage.length") == 0

        as_coordinator = await token_for(Role.coordinator, "王协调", person=li)
        await sign_in(page, f"{served}/my", bare(as_coordinator))
        await page.locator("#board-list li.empty", has_text="没有待认领的心愿").wait_for()
        await page.click(".tab[data-tab=mine]")
        await page.locator("#mine-list li.empty", has_text="还没有认领心愿").wait_for()
        assert "14 天没有进展" in await page.text_content("#stale")
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(served, resident):
    await resident()
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/my")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        served_assets = {asset: (await client.get(asset)).status_code for asset in assets}
        script = await client.get("/static/workbench/my.js")
        imported = re.findall(r'from "(/static/[^"]+)"', script.text)
        served_imports = {path: (await client.get(path)).status_code for path in imported}
    assert page.status_code == 200
    assert served_assets == dict.fromkeys(assets, 200)
    assert served_imports == dict.fromkeys(imported, 200)
    assert "/static/common/signin.js" in imported  # and each one it imports is served
    assert "认领微心愿" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self';" in policy  # no inline style
    assert RESIDENT["name"] not in page.text
    assert '"claimed":"已认领"' in page.text  # the words for the codes, inline
    assert "innerHTML" not in script.text  # text only: a name can never run as code

"""我的志愿服务 on poor signal: a tap of 报名 or 取消报名 whose answer was lost is tapped again
with the same Idempotency-Key and gets the first answer (已报名 / 已取消报名), not a refusal
saying it was done already; and a sign-up done already elsewhere is said as done, not as a
failure."""

from __future__ import annotations

from playwright.async_api import Route, expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


def losing_the_first_answer(keys: list[str]):
    """A route handler that sends each request on and keeps its key, but loses the first
    answer (the request was done; the phone never heard)."""

    async def handle(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        answer = await route.fetch()
        if len(keys) == 1:
            await route.abort("internetdisconnected")
        else:
            await route.fulfill(response=answer)

    return handle


async def lose_the_next_reading(page, volunteer_id: str) -> None:
    """The page's next reading of my sign-ups is lost too: the card still offers the tap."""

    async def once(route: Route) -> None:
        await page.unroute(f"**/volunteers/{volunteer_id}/signups*", once)
        await route.abort("internetdisconnected")

    await page.route(f"**/volunteers/{volunteer_id}/signups*", once)


async def test_a_sign_up_tapped_again_after_a_lost_answer_is_said_done(
    signed_in, token_for, volunteers, team, volunteer, activity
):
    team_id, _ = await team()
    liu = await volunteer()
    activity_id = await activity(team_id, days=3, title="社区助老理发")
    keys: list[str] = []

    token = bare(await token_for(Role.volunteer, "小刘", person=liu))
    async with signed_in("/my", token, phone=True) as (page, errors):
        card = page.locator(f"#activities-list li[data-activity='{activity_id}']")
        await card.get_by_role("button", name="报名").wait_for(timeout=WAIT_MS)
        await page.route(f"**/activities/{activity_id}/signups", losing_the_first_answer(keys))
        await lose_the_next_reading(page, liu)
        await card.get_by_role("button", name="报名").click()
        await card.locator(".error", has_text="没有收到").wait_for(timeout=WAIT_MS)

        await card.get_by_role("button", name="报名").click()
        await expect(page.locator("#message")).to_have_text(
            "已报名「社区助老理发」。", timeout=WAIT_MS
        )
        await expect(card).to_contain_text("已报名")
        await expect(page.locator("#activities-list .error")).to_have_count(0)
        assert len(keys) == 2
        assert keys[0]
        assert keys[0] == keys[1]
        assert unexpected(errors) == []

    mine = (await volunteers.get(f"/volunteers/{liu}/signups")).json()["items"]
    assert [(s["activity_id"], s["state"]) for s in mine] == [(activity_id, "active")]


async def test_a_withdrawal_tapped_again_after_a_lost_answer_is_said_done(
    signed_in, token_for, volunteers, team, volunteer, activity
):
    team_id, _ = await team()
    liu = await volunteer()
    activity_id = await activity(team_id, days=3, title="社区助老理发")
    mine = await token_for(Role.volunteer, "小刘", person=liu)
    signed = await volunteers.post(
        f"/activities/{activity_id}/signups", json={"volunteer_id": liu}, headers=mine
    )
    assert signed.status_code == 200, signed.text
    keys: list[str] = []

    async with signed_in("/my", bare(mine), phone=True) as (page, errors):
        card = page.locator(f"#activities-list li[data-activity='{activity_id}']")
        await card.get_by_role("button", name="取消报名").wait_for(timeout=WAIT_MS)
        await page.route(f"**/activities/{activity_id}/signups/*", losing_the_first_answer(keys))
        await lose_the_next_reading(page, liu)
        await card.get_by_role("button", name="取消报名").click()
        await card.locator(".error", has_text="没有收到").wait_for(timeout=WAIT_MS)

        await card.get_by_role("button", name="取消报名").click()
        await expect(page.locator("#message")).to_have_text(
            "已取消报名「社区助老理发」。", timeout=WAIT_MS
        )
        await expect(page.locator("#activities-list .error")).to_have_count(0)
        assert len(keys) == 2
        assert keys[0]
        assert keys[0] == keys[1]
        assert unexpected(errors) == []


async def test_a_sign_up_made_already_elsewhere_is_not_said_as_a_failure(
    signed_in, token_for, volunteers, team, volunteer, activity
):
    team_id, _ = await team()
    liu = await volunteer()
    activity_id = await activity(team_id, days=3, title="社区助老理发")
    mine = await token_for(Role.volunteer, "小刘", person=liu)

    async with signed_in("/my", bare(mine), phone=True) as (page, errors):
        card = page.locator(f"#activities-list li[data-activity='{activity_id}']")
        await card.get_by_role("button", name="报名").wait_for(timeout=WAIT_MS)
        # Signed up meanwhile on their other phone.
        signed = await volunteers.post(
            f"/activities/{activity_id}/signups", json={"volunteer_id": liu}, headers=mine
        )
        assert signed.status_code == 200, signed.text
        await card.get_by_role("button", name="报名").click()
        await expect(page.locator("#message")).to_have_text(
            "您已报名「社区助老理发」，无须再报。", timeout=WAIT_MS
        )
        await expect(page.locator("#message")).not_to_have_class("error")
        await expect(card).to_contain_text("已报名")
        await expect(page.locator("#activities-list .error")).to_have_count(0)
        assert unexpected(errors) == []

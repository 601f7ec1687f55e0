"""The workbench's 报名申请（n） in a real headless Chromium keeps up by itself: a resident who
applies while a coordinator has the workbench open is counted when the coordinator comes back
to the page, and every few minutes while it is shown — without a click."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, sign_in, unexpected

from .test_workbench_applications import applied

FIVE_MINUTES_MS = 5 * 60_000
MARGIN_MS = 30_000


async def test_the_count_is_read_again_when_the_page_is_looked_at_again(
    volunteers, team, signed_in, token_for
):
    _team_id, coordinator = await team()
    await applied(volunteers, "陈小燕", "13812345678")
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with signed_in("/workbench", token) as (page, errors):
        tab = page.locator(".tab[data-tab=applications]")
        await expect(tab).to_have_text("报名申请（1）")
        await applied(volunteers, "周大力", "13812345679")

        await page.evaluate("window.dispatchEvent(new Event('focus'))")
        await expect(tab).to_have_text("报名申请（2）")

        await applied(volunteers, "吴小芳", "13812345670")
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        await expect(tab).to_have_text("报名申请（3）")
        assert unexpected(errors) == []


async def test_the_count_is_read_again_every_five_minutes(volunteers, team, tab, served, token_for):
    _team_id, coordinator = await team()
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with tab() as page:
        await page.clock.install()
        # The first count read and answered before anyone applies: the tab's bare 报名申请
        # does not tell a count of none from a count still on its way.
        async with page.expect_response(lambda r: "/applications/counts" in r.url):
            await sign_in(page, f"{served}/workbench", token)
        counted = page.locator(".tab[data-tab=applications]")
        await expect(page.locator("#work")).to_be_visible()
        await expect(counted).to_have_text("报名申请")
        await applied(volunteers, "陈小燕", "13812345678")

        # The installed clock also runs on in real time (a loaded machine took seconds between
        # the first count and here), hence a margin of half a minute rather than a second.
        await page.clock.run_for(FIVE_MINUTES_MS - MARGIN_MS)
        await expect(counted).to_have_text("报名申请")  # not yet: no busy polling

        await page.clock.run_for(MARGIN_MS)
        await expect(counted).to_have_text("报名申请（1）")


async def test_a_signed_out_page_reads_nothing_when_focused(volunteers, served, tab):
    async with tab() as page:
        asked: list[str] = []
        page.on(
            "request", lambda r: asked.append(r.url) if "/applications/counts" in r.url else None
        )
        await page.goto(f"{served}/workbench")
        await expect(page.locator("#signin")).to_be_visible()

        await page.evaluate("window.dispatchEvent(new Event('focus'))")
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

        await expect(page.locator("#signin-error")).to_have_text("")
        assert asked == []

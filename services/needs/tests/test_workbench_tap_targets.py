"""The social workers' workbench on a phone, on a home visit: what a finger taps — a tab, a
form's field, a row's button, 退出登录 — is 44px tall (WCAG 2.5.5), not a 30px line to be hit
beside; at a desk the buttons stay compact. In a real Chromium, against the real PostgreSQL and
NATS; the rule is the common workbench style's, so the other workbenches have it too."""

from __future__ import annotations

import functools

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

# Each visible control a finger taps (not a name to open a file, a line of text), lower than
# 44px: what it is, its words and its height.
TOO_SMALL = """() => [...document.querySelectorAll(
    'button:not(.link), select, input:not([type=checkbox], [type=radio], [type=hidden])')]
  .filter(e => e.getClientRects().length && !e.closest('[hidden]'))
  .map(e => [e.tagName, (e.textContent || e.name || '').trim(), e.getBoundingClientRect().height])
  .filter(([, , height]) => height < 44)"""


@pytest.fixture
async def workbench(signed_in, token_for):
    token = bare(await token_for(Role.social_worker, "王社工"))
    return functools.partial(signed_in, "/workbench", token)


async def test_on_a_phone_every_tab_field_and_button_is_tall_enough_to_tap(
    workbench, resident, surveyed
):
    await surveyed(await resident(), ("meal-delivery", "material", "high"))
    async with workbench(phone=True) as (page, errors):
        await page.locator("#due-table tbody tr").first.wait_for()
        assert await page.evaluate(TOO_SMALL) == []
        for tab, shown in (
            ("needs", "#needs-table tbody tr button"),
            ("roster", "#roster-table tbody tr button:not(.link)"),
            ("register", "#register-form"),
            ("import", "#import-form"),
        ):
            await page.click(f".tab[data-tab={tab}]")
            await page.locator(shown).first.wait_for()
            assert await page.evaluate(TOO_SMALL) == [], tab
        assert unexpected(errors) == []


async def test_at_a_desk_the_buttons_stay_compact(workbench, resident):
    await resident()
    async with workbench() as (page, errors):
        await page.locator("#due-table tbody tr").first.wait_for()
        box = await page.locator(".tab[data-tab=due]").bounding_box()
        assert box is not None
        assert box["height"] < 40
        assert unexpected(errors) == []

"""The needs' staff pages — the social workers' workbench (社工工作台) and each of its tabs, a
volunteer's micro-wish page (认领微心愿) and its tabs, and the audit query (审计查询) — pass the
accessibility audit the public pages pass — axe-core: WCAG 2.1 A/AA, as GB/T 37668-2019 asks of
a government's pages, and axe's best practices — at a desktop's width and a phone's: the sign-in
form, the lists with residents and wishes in them, and a form sent back with its errors, in a
real Chromium, against the real PostgreSQL and NATS."""

import re

import pytest
from playwright.async_api import expect

from wushe_service.accessibility_audit import SCREENS, each_tab, violations_of
from wushe_service.auth import Role
from wushe_service.browser_testing import bare, sign_in

from .conftest import RESIDENT


@pytest.fixture
async def staff(needs, resident, surveyed, wish_body, known_volunteer, token_for):
    """Residents due a visit, one with needs found, wishes posted and one claimed, and the
    tokens of a social worker, a volunteer and an auditor."""
    await resident()
    found = await resident(name="李建国", birth_year=1950, id_number=None, phone="13700001111")
    await surveyed(found, ("meal-delivery", "physical", "high"))
    posted = await needs.post("/wishes", json=wish_body())
    assert posted.status_code == 201, posted.text
    volunteer = await known_volunteer("小陈")
    mine = await needs.post("/wishes", json=wish_body(title="陪老人聊天一下午",
                            category="companionship", estimated_value_fen=0))  # fmt: skip
    assert mine.status_code == 201, mine.text
    claim = {"claimant_id": volunteer}
    assert (await needs.post(f"/wishes/{mine.json()['wish_id']}/claim", json=claim)).is_success
    return {
        "social_worker": bare(await token_for(Role.social_worker, "王社工")),
        "volunteer": bare(await token_for(Role.volunteer, "小陈", person=volunteer)),
        "auditor": bare(await token_for(Role.auditor, "审计员")),
    }


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_workbench_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/workbench")
        found = [await violations_of(page, "sign-in")]
        await page.locator("#signin-form button[type=submit]").click()
        await page.locator("#signin-error").filter(has_text="令").wait_for()
        found.append(await violations_of(page, "sign-in refused"))
        await sign_in(page, f"{served}/workbench", staff["social_worker"])
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        found += await each_tab(page)
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li").first.wait_for()
        found.append(await violations_of(page, "a resident registered empty"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_wish_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/my")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/my", staff["volunteer"])
        await page.locator("#board-list li").first.wait_for()
        found += await each_tab(page)  # the last, 我认领的: the wish claimed
        await page.locator("#mine-list").get_by_role("button", name="已完成").click()
        form = page.locator("#fulfil-form")
        await form.locator("[name=hours]").fill("200")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li").first.wait_for()
        found.append(await violations_of(page, "hours out of range"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_audit_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/audit")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/audit", staff["auditor"])
        await page.locator("#work").wait_for()
        found.append(await violations_of(page, "signed in"))
        # The same page on every service: sent back here, a period the wrong way round.
        filters = page.locator("#filters")
        await filters.locator("[name=from]").fill("2026-12-07")
        await filters.locator("[name=to]").fill("2026-12-01")
        await filters.locator("button[type=submit]").click()
        await filters.locator(".errors li").first.wait_for()
        found.append(await violations_of(page, "a period reversed"))
        await expect(filters.locator("[name=from]")).to_have_accessible_description(
            "起始日期晚于截止日期，请对调两个日期"
        )
    assert not any(found), "\n".join(filter(None, found))


async def test_a_form_sent_back_ties_each_error_to_its_field_and_lists_them(signed_in, staff):
    async with signed_in("/workbench", staff["social_worker"]) as (page, _errors):
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=birth_year]").fill("1850")
        await form.locator("button[type=submit]").click()

        # Each field says why it is to change, the list is a list in an alert: read out.
        name = form.get_by_role("textbox", name="姓名")
        await expect(name).to_have_attribute("aria-invalid", "true")
        await expect(name).to_have_accessible_description(re.compile("^姓名："))
        year = form.get_by_role("spinbutton", name="出生年份")
        await expect(year).to_have_accessible_description(re.compile("^出生年份："))
        alert = form.get_by_role("alert")
        await expect(alert.get_by_role("list")).to_be_visible()
        assert await alert.get_by_role("listitem").count() >= 2

        # Put right and sent again: no field is marked, nor described by an error gone.
        await form.locator("[name=name]").fill("周玉梅")
        await form.locator("[name=birth_year]").fill("1950")
        await form.locator("input[name=groups][value=elderly]").check()
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已登记居民 周玉梅").wait_for()
        assert await form.locator("[aria-invalid], [aria-describedby]").count() == 0

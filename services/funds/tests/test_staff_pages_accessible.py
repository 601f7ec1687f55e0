"""The funds' staff pages — the fund managers' workbench (基金工作台) and each of its tabs, the
reviewers' page (项目评审), the coordinators' page (项目申报与执行) and its tabs, and the audit
query (审计查询) — pass the accessibility audit the public pages pass — axe-core: WCAG 2.1 A/AA,
as GB/T 37668-2019 asks of a government's pages, and axe's best practices — at a desktop's
width and a phone's: the sign-in form, the lists with funds, applications, rounds and projects
in them, and a form sent back with its errors, in a real Chromium, against the real PostgreSQL
and NATS."""

from uuid import uuid4

import pytest

from wushe_service.accessibility_audit import SCREENS, each_tab, violations_of
from wushe_service.auth import Role
from wushe_service.browser_testing import bare, sign_in


async def sent_back(form, what: str) -> str:
    """The violations of the page of `form`, sent as it is: its errors shown."""
    await form.locator("button[type=submit]").click()
    await form.locator(".errors li").first.wait_for()
    return await violations_of(form.page, what)


@pytest.fixture
async def staff(fund, grant_round, submitted, approved_grant, coordinator, token_for):
    """A fund, its round with an application awaiting reviews and one granted, and the tokens
    of a fund manager, a reviewer, a coordinator of two teams and an auditor."""
    round_id = await grant_round(await fund())
    await submitted(round_id, "儿童课后托管", checked=True)
    await approved_grant(round_id)
    applicant, _teams = await coordinator("阳光儿童服务社", "银龄服务队")
    return {
        "fund_manager": bare(await token_for(Role.fund_manager, "王会计")),
        "reviewer": bare(await token_for(Role.reviewer, "陈教授", person=uuid4())),
        "coordinator": applicant,
        "auditor": bare(await token_for(Role.auditor, "审计员")),
    }


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_workbench_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/workbench")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/workbench", staff["fund_manager"])
        await page.locator("#funds-table tbody tr").first.wait_for()
        found += await each_tab(page)
        await page.click(".tab[data-tab=funds]")
        await page.locator("#funds-table button", has_text="登记捐赠").click()
        found.append(await sent_back(page.locator("#donation-form"), "a donation sent empty"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_review_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/review")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/review", staff["reviewer"])
        card = page.locator("#applications-list li").first
        await card.wait_for()
        found.append(await violations_of(page, "signed in"))
        await card.get_by_role("button", name="评分").click()
        form = card.locator("form.score")
        await form.locator("[name=score-need]").fill("101")
        found.append(await sent_back(form, "a score out of range"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_grants_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/grants")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/grants", staff["coordinator"])
        card = page.locator("#rounds-list li").first
        await card.wait_for()
        found += await each_tab(page)
        await page.click(".tab[data-tab=rounds]")
        await card.get_by_role("button", name="申报项目").click()
        found.append(await sent_back(card.locator("form.apply"), "an application sent empty"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_audit_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/audit")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/audit", staff["auditor"])
        await page.locator("#work").wait_for()
        found.append(await violations_of(page, "signed in"))
    assert not any(found), "\n".join(filter(None, found))

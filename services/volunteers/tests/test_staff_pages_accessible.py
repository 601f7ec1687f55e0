"""The volunteers' staff pages — the coordinators' workbench (志愿服务工作台) and each of its tabs
(活动, 时长审核, 队员与证明, 报名申请), a volunteer's own page (我的志愿服务) and its tabs, 账号管理
and the audit query (审计查询) — pass the accessibility audit the public pages pass — axe-core:
WCAG 2.1 A/AA, as GB/T 37668-2019 asks of a government's pages, and axe's best practices — at a
desktop's width and a phone's: the sign-in form, the lists with activities, hours, members and
applications in them, and a form sent back with its errors, in a real Chromium, against the
real PostgreSQL and NATS."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from wushe_service.accessibility_audit import SCREENS, each_tab, violations_of
from wushe_service.auth import Role
from wushe_service.browser_testing import bare, sign_in
from wushe_service.testing import ADMIN_TOKEN
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN

from .conftest import schedule_signed_up

APPLICATION = {
    "name": "陈小燕",
    "phone": "13812345678",
    "community_id": "fengshan",
    "birth_month": "1990-05",
    "skills": ["haircut"],
    "availability": "周末上午",
    "consent_personal_data": "yes",
}


async def sent_empty(page, form_id: str) -> str:
    """The violations of the form `form_id`, sent empty: its errors shown."""
    form = page.locator(f"#{form_id}")
    await form.locator("button[type=submit]").click()
    await form.locator(".errors li").first.wait_for()
    return await violations_of(page, f"{form_id} sent empty")


@pytest.fixture
async def staff(volunteers, runtime, volunteer, team, activity, token_for):
    """A team with an activity to come, hours of a past one to verify, a volunteer's pending
    application, and the tokens of its coordinator, of a volunteer and of an auditor."""
    team_id, coordinator = await team()
    await activity(team_id)
    who = await volunteer(display_name="李志愿者")
    starts = datetime.now(UTC) - timedelta(days=2)
    served_at = await schedule_signed_up(runtime.store, UUID(team_id), UUID(who), starts)
    attendance = commands.RecordAttendance(
        volunteer_id=UUID(who), checked_in_at=starts, checked_out_at=starts + timedelta(hours=3)
    )
    await commands.record_attendance(
        runtime.store, served_at, attendance, datetime.now(UTC), caller=ADMIN
    )
    applied = await volunteers.post("/join", data=APPLICATION, headers={"Authorization": ""})
    assert applied.status_code == 200, applied.text
    return {
        "coordinator": bare(await token_for(Role.coordinator, "王协调", person=coordinator)),
        "volunteer": bare(await token_for(Role.volunteer, "李明", person=who)),
        "auditor": bare(await token_for(Role.auditor, "审计员")),
    }


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_workbench_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/workbench")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/workbench", staff["coordinator"])
        await page.locator("#activities-table tbody tr").first.wait_for()
        found += await each_tab(page)
        await page.click(".tab[data-tab=activities]")
        await page.click("#schedule-open")
        found.append(await sent_empty(page, "schedule-form"))
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_volunteers_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/my")
        found = [await violations_of(page, "sign-in")]
        # The page's one form but the sign-in's, sent back: a token it does not know.
        await sign_in(page, f"{served}/my", "not-a-token")
        await page.locator("#signin-error").filter(has_text="令牌").wait_for()
        found.append(await violations_of(page, "a wrong token"))
        await sign_in(page, f"{served}/my", staff["volunteer"])
        await page.locator("#who").filter(has_text="李明").wait_for()
        found += await each_tab(page)
    assert not any(found), "\n".join(filter(None, found))


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_accounts_page_has_no_accessibility_violation(served, tab, staff, screen):
    async with tab(viewport=SCREENS[screen]) as page:
        await page.goto(f"{served}/accounts")
        found = [await violations_of(page, "sign-in")]
        await sign_in(page, f"{served}/accounts", ADMIN_TOKEN)
        await page.locator("#accounts-table tbody tr").first.wait_for()
        found.append(await violations_of(page, "signed in"))
        await page.click("#create-open")
        found.append(await sent_empty(page, "create-form"))
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

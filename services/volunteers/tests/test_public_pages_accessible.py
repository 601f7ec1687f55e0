"""The volunteers' public pages — the activities to come, the resources list, the sign-up form
(empty, with its errors, sent) and a certificate's check — pass an accessibility audit —
axe-core: WCAG 2.1 A/AA, as GB/T 37668-2019 asks of a government's pages, and axe's best
practices — at a desktop's width and a phone's, and so does the page of a mistyped address, in
a real Chromium, against the real PostgreSQL and NATS. The sign-up form says what is required,
and ties each error to its field, as axe does not check."""

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from playwright.async_api import expect

from wushe_service.accessibility_audit import SCREENS, violations_of
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN

from .conftest import schedule_signed_up


@pytest.fixture
async def public_pages(volunteers, runtime, volunteer, team, activity):
    """The address of each public page of the volunteers (but the sign-up form), with an
    activity to come, a team and a certificate of hours served."""
    team_id, coordinator = await team()
    await activity(team_id)
    who = await volunteer(display_name="李志愿者", show_name_publicly=True)
    starts = datetime.now(UTC) - timedelta(days=7)
    served_at = await schedule_signed_up(runtime.store, UUID(team_id), UUID(who), starts)
    attendance = commands.RecordAttendance(
        volunteer_id=UUID(who), checked_in_at=starts, checked_out_at=starts + timedelta(hours=3)
    )
    await commands.record_attendance(
        runtime.store, served_at, attendance, datetime.now(UTC), caller=ADMIN
    )
    hours = await volunteers.get(f"/hours?volunteer_id={who}&state=pending")
    for record in hours.json()["items"]:
        verified = await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        assert verified.is_success, verified.text
    issued = await volunteers.post(f"/volunteers/{who}/certificates")
    assert issued.status_code == 201, issued.text
    return [
        "/public/activities?format=html",
        "/public/resources?format=html",
        f"/certificates/{issued.json()['code']}?format=html",
        "/certificates/NO-SUCH-CODE?format=html",  # a mistyped code: the error page
        "/join",
    ]


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_public_pages_have_no_accessibility_violation(served, tab, public_pages, screen):
    found = []
    async with tab(viewport=SCREENS[screen]) as page:
        for path in public_pages:
            await page.goto(f"{served}{path}")
            found.append(await violations_of(page))
        # The sign-up form sent empty, then with a mistyped number: its errors shown.
        await page.get_by_role("button", name="提交报名").click()
        await page.get_by_role("alert").wait_for()
        found.append(await violations_of(page))
        await page.get_by_label("姓名").fill("陈小燕")
        await page.get_by_label("手机号").fill("1381234")
        await page.get_by_label("所在社区").select_option("fengshan")
        await page.get_by_label("出生年月").fill("1990-05")
        await page.get_by_label("我同意本中心保存我的报名信息").check()
        await page.get_by_role("button", name="提交报名").click()
        await page.get_by_text("应为 11 位手机号").wait_for()
        found.append(await violations_of(page))
        # And sent right: what the resident reads next.
        await page.get_by_label("手机号").fill("13812345678")
        await page.get_by_label("我同意本中心保存我的报名信息").check()
        await page.get_by_role("button", name="提交报名").click()
        await page.get_by_role("heading", name="已提交，社区社工会与您联系").wait_for()
        found.append(await violations_of(page))
    assert not any(found), "\n".join(filter(None, found))


async def test_the_sign_up_form_says_what_is_required_and_ties_each_error_to_its_field(served, tab):
    async with tab(viewport=SCREENS["phone"]) as page:
        await page.goto(f"{served}/join")
        phone = page.get_by_role("textbox", name="手机号")
        await expect(phone).to_have_attribute("aria-required", "true")
        await expect(page.get_by_role("combobox", name="所在社区（必填）")).to_be_visible()
        await expect(page.get_by_role("textbox", name="公开称呼")).not_to_have_attribute(
            "aria-required", "true"
        )
        await phone.fill("1381234")
        await page.get_by_role("button", name="提交报名").click()

        # The title says the form came back, the summary names each field to change, a link
        # to it, and each field says why it is to change.
        await expect(page).to_have_title("志愿者报名（有 5 处需要修改）")
        alert = page.get_by_role("alert")
        await alert.get_by_role("link", name="手机号").click()
        await expect(phone).to_be_focused()
        await expect(phone).to_have_attribute("aria-invalid", "true")
        await expect(phone).to_have_accessible_description(re.compile("^应为 11 位手机号"))
        await expect(page.get_by_role("textbox", name="姓名")).to_have_accessible_description(
            "请填写"
        )
        consent = page.get_by_role("checkbox", name="我同意本中心保存我的报名信息")
        await expect(consent).to_have_accessible_description(re.compile("^须勾选同意"))
        await expect(alert.get_by_role("link", name="同意保存个人信息")).to_be_visible()

"""The coordinators' workbench (志愿服务工作台) in a real headless Chromium: a coordinator signs
in with their token, opens their team's activity and its roster, records attendance, verifies
and declines the team's pending hours, and what the page sends is what the API records."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from playwright.async_api import Page, expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, errors_of, sign_in, unexpected
from wushe_volunteers.commands import activities as commands

from .conftest import PHONE, VOLUNTEER

PHONE_WIDTH = PHONE["width"]


@pytest.fixture
def held(runtime, signed_up):
    """An activity of the team that ended two days ago, the volunteers signed up for it."""

    async def schedule(team_id, *volunteer_ids, hours: float = 3) -> tuple[UUID, datetime]:
        starts = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
        first, *others = volunteer_ids
        activity_id = await signed_up(team_id, first, starts, hours)
        for other in others:
            signing = commands.SignUp(volunteer_id=other)
            await commands.sign_up(runtime.store, activity_id, signing, starts - timedelta(days=1))
        return activity_id, starts

    return schedule


@pytest.fixture
def attended(volunteers):
    """Records (as an admin) a volunteer's attendance at an activity, from `starts` on."""

    async def record(activity_id, volunteer_id, starts: datetime, hours: float) -> None:
        answer = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": volunteer_id,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (starts + timedelta(hours=hours)).isoformat(),
            },
        )
        assert answer.status_code == 201, answer.text

    return record


@pytest.fixture
def verified(volunteers):
    """Verifies (as an admin) the one pending hours record of a volunteer: that record."""

    async def verify(volunteer_id) -> dict:
        pending = (await volunteers.get(f"/hours?volunteer_id={volunteer_id}&state=pending")).json()
        [record] = pending["items"]
        answer = await volunteers.post(f"/hours/{record['record_id']}/verify", json={})
        assert answer.is_success, answer.text
        return record

    return verify


@pytest.fixture
def joined(volunteers):
    """Adds volunteers to a team as members."""

    async def join(team_id, *volunteer_ids) -> None:
        for who in volunteer_ids:
            answer = await volunteers.post(f"/teams/{team_id}/members", json={"volunteer_id": who})
            assert answer.status_code == 204, answer.text

    return join


@pytest.fixture
def workbench(signed_in, token_for):
    """The workbench in a fresh tab, signed in with a token of the coordinator (on a phone's
    screen when told): the page, and what goes wrong on it (`errors_of`)."""

    @contextlib.asynccontextmanager
    async def as_coordinator(
        coordinator, *, phone: bool = False
    ) -> AsyncIterator[tuple[Page, list]]:
        token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))
        async with signed_in("/workbench", token, phone=phone) as (page, errors):
            yield page, errors

    return as_coordinator


async def on_screen(button) -> None:
    """Within the phone's width as the page shows it: no sideways scrolling to reach it."""
    await button.wait_for()
    box = await button.bounding_box()
    assert box is not None
    assert 0 <= box["x"]
    assert box["x"] + box["width"] <= PHONE_WIDTH


async def schedule_form(page):
    """The form that schedules an activity, opened, the office's communities in it."""
    await page.click("#schedule-open")
    form = page.locator("#schedule-form")
    await form.locator("[name=community_id] option[value=fengshan]").wait_for(state="attached")
    return form


def typed(at: datetime, runtime) -> str:
    """`at` as typed in a datetime-local input: the office's clocks (the page's times)."""
    return at.astimezone(runtime.settings.zone()).strftime("%Y-%m-%dT%H:%M")


async def test_a_coordinator_records_attendance_then_verifies_and_declines_the_hours(
    volunteers, runtime, team, volunteer, activity, held, workbench
):
    team_id, coordinator = await team()
    other_team, _ = await team(name="兰江助老服务队")
    li = await volunteer()  # 李明
    zhang = await volunteer(name="张华")
    activity_id, starts = await held(team_id, li, zhang)
    await activity(team_id, title="重阳节敬老活动")  # in three days
    await activity(other_team, title="兰江社区义诊")  # not theirs

    async with workbench(coordinator) as (page, errors):
        rows = page.locator("#activities-table tbody tr")
        await expect(rows).to_have_count(2, timeout=WAIT_MS)
        # Soonest first, their own team's only; the team is theirs alone to choose.
        assert "助老理发" in await rows.nth(0).text_content()
        assert "已结束" in await rows.nth(0).text_content()
        assert "重阳节敬老活动" in await rows.nth(1).text_content()
        assert await page.text_content("#who") == "王协调 · 志愿服务协调员"
        shown = await page.locator("#team option").all_text_contents()
        assert shown == ["阳明青年志愿队（志愿服务队）"]
        assert await page.locator("#team").input_value() == team_id

        # The roster, by name.
        await rows.nth(0).locator("button", has_text="名单与出勤").click()
        await page.locator("#roster-title", has_text="助老理发").wait_for()
        signups = page.locator("#roster-table tbody tr")
        await expect(signups).to_have_count(2, timeout=WAIT_MS)
        li_row = page.locator(f"#roster-table tr[data-volunteer='{li}']")
        zhang_row = page.locator(f"#roster-table tr[data-volunteer='{zhang}']")
        assert VOLUNTEER["name"] in await li_row.text_content()
        assert "张华" in await zhang_row.text_content()
        assert "已报名" in await li_row.text_content()

        # 李明's times out of order: the field is named beside it, nothing recorded.
        form = li_row.locator("form")
        ends = starts + timedelta(hours=3)
        assert await form.locator("[name=checked_in_at]").input_value() == typed(starts, runtime)
        assert await form.locator("[name=checked_out_at]").input_value() == typed(ends, runtime)
        await form.locator("[name=checked_out_at]").fill(typed(starts, runtime))
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="签退时间：须晚于签到时间").wait_for()
        assert await form.locator("[name=checked_out_at]").get_attribute("aria-invalid") == "true"
        assert (await volunteers.get(f"/hours?team_id={team_id}")).json()["items"] == []
        # Before the activity began: refused as 补录 refuses it, in words, in office time.
        await form.locator("[name=checked_in_at]").fill(typed(starts - timedelta(hours=1), runtime))
        await form.locator("[name=checked_out_at]").fill(typed(ends, runtime))
        await form.locator("button[type=submit]").click()
        begins = typed(starts, runtime).replace("T", " ")
        await form.locator(
            ".errors li", has_text=f"签到时间：不能早于活动开始时间（{begins}）"
        ).wait_for()

        # He came half an hour late and stayed to the end; 张华 the whole time, as defaulted.
        late = starts + timedelta(minutes=30)
        await form.locator("[name=checked_in_at]").fill(typed(late, runtime))
        await form.locator("[name=checked_out_at]").fill(typed(ends, runtime))
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text=f"已记录 {VOLUNTEER['name']} 的出勤").wait_for()
        await li_row.locator("td", has_text="已出勤").wait_for()
        await zhang_row.locator("button[type=submit]").click()
        await zhang_row.locator("td", has_text="已出勤").wait_for()

        # What the API recorded: attended, at the times entered, the hours pending.
        recorded = {
            s["volunteer_id"]: s
            for s in (await volunteers.get(f"/activities/{activity_id}/signups")).json()
        }
        assert recorded[li]["state"] == recorded[zhang]["state"] == "attended"
        assert datetime.fromisoformat(recorded[li]["checked_in_at"]) == late
        assert datetime.fromisoformat(recorded[zhang]["checked_out_at"]) == ends
        pending = (await volunteers.get(f"/hours?team_id={team_id}&state=pending")).json()
        hours = {h["volunteer_id"]: h for h in pending["items"]}
        assert (hours[li]["hours"], hours[zhang]["hours"]) == (2.5, 3.0)

        # The pending hours: 李明's verified, 张华's declined with why.
        await page.click(".tab[data-tab=hours]")
        li_hours = page.locator(f"#hours-table tr[data-record='{hours[li]['record_id']}']")
        await li_hours.wait_for()
        assert VOLUNTEER["name"] in await li_hours.text_content()
        assert "助老理发" in await li_hours.text_content()
        assert "2.5" in await li_hours.text_content()
        await expect(page.locator("#hours-table tbody tr")).to_have_count(2, timeout=WAIT_MS)
        await li_hours.get_by_role("button", name="核实", exact=True).click()
        await page.locator("#message", has_text=f"已核实 {VOLUNTEER['name']}").wait_for()
        await li_hours.wait_for(state="detached")

        zhang_hours = page.locator(f"#hours-table tr[data-record='{hours[zhang]['record_id']}']")
        await zhang_hours.locator("button", has_text="不予核实").click()
        decline = page.locator("#decline-form")
        await decline.locator(".what", has_text="张华").wait_for()
        await decline.locator("[name=reason]").select_option("left-early")
        await decline.locator("[name=note]").fill("签到后半小时即离开，签退为代签")
        await decline.locator("button[type=submit]").click()
        await page.locator("#message", has_text="记为不予核实（提前离场）").wait_for()
        await zhang_hours.wait_for(state="detached")
        await page.locator("#hours-table td.empty", has_text="没有待审核的时长").wait_for()

        verified = (await volunteers.get(f"/hours/{hours[li]['record_id']}")).json()
        assert (verified["state"], verified["verified_by"]) == ("verified", coordinator)
        declined = (await volunteers.get(f"/hours/{hours[zhang]['record_id']}")).json()
        assert (declined["state"], declined["reason"]) == ("declined", "left-early")
        assert [n["note"] for n in declined["notes"]] == ["签到后半小时即离开，签退为代签"]

        # Signing out forgets the token.
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_what_another_coordinator_did_meanwhile_is_said_in_chinese(
    volunteers, team, volunteer, held, workbench, attended
):
    team_id, coordinator = await team()
    li = await volunteer()
    zhang = await volunteer(name="张华")
    activity_id, starts = await held(team_id, li, zhang, coordinator)

    # Their own hours and 张华's recorded already, by an admin.
    for who in (coordinator, zhang):
        await attended(activity_id, who, starts, hours=2)

    async with workbench(coordinator) as (page, errors):
        await page.locator("#activities-table button", has_text="名单与出勤").click()
        li_row = page.locator(f"#roster-table tr[data-volunteer='{li}']")
        await li_row.locator("form").wait_for()

        # 李明's attendance entered by someone else while the roster was open.
        await attended(activity_id, li, starts, hours=2)
        await li_row.locator("button[type=submit]").click()
        await li_row.locator(".errors li", has_text="出勤已经记录过了").wait_for()
        assert len((await volunteers.get(f"/hours?volunteer_id={li}")).json()["items"]) == 1

        # Their own hours are listed, not for them to judge; 张华's verified meanwhile.
        await page.click(".tab[data-tab=hours]")
        rows = page.locator("#hours-table tbody tr")
        await expect(rows).to_have_count(3, timeout=WAIT_MS)
        pending = (await volunteers.get(f"/hours?team_id={team_id}&state=pending")).json()
        records = {h["volunteer_id"]: h["record_id"] for h in pending["items"]}
        own = page.locator(f"#hours-table tr[data-record='{records[coordinator]}']")
        assert "本人的时长" in await own.text_content()
        assert await own.locator("button").count() == 0

        verified = await volunteers.post(f"/hours/{records[zhang]}/verify", json={})
        assert verified.status_code == 200, verified.text
        zhang_hours = page.locator(f"#hours-table tr[data-record='{records[zhang]}']")
        await zhang_hours.get_by_role("button", name="核实", exact=True).click()
        await page.locator("#message.error", has_text="这条时长已经审核过了").wait_for()
        await zhang_hours.wait_for(state="detached")  # the list as it now stands
        # What was said is about the tab left: gone on another.
        await page.click(".tab[data-tab=members]")
        await expect(page.locator("#message")).to_have_text("", timeout=WAIT_MS)
        assert unexpected(errors) == []


async def test_sign_in_is_for_coordinators_of_a_team_and_admins_see_every_team(
    tab, served, team, volunteer, token_for
):
    await team()
    await team(name="兰江助老服务队")
    member = await volunteer()  # in no team
    as_volunteer = await token_for(Role.volunteer, "李明", person=member)
    admin = await token_for(Role.admin, "张管理员")
    async with tab() as page:
        errors = errors_of(page)
        # A coordinator of no team signs in to the applications alone (test_workbench_no_team).
        refusals = (
            ("not-a-token", "令牌无效"),
            (bare(as_volunteer), "此令牌的角色（志愿者）不能使用志愿服务工作台"),
        )
        for token, said in refusals:
            await sign_in(page, f"{served}/workbench", token)
            await page.locator("#signin-error", has_text=said).wait_for()
            assert await page.is_visible("#signin")
            assert await page.evaluate("sessionStorage.length") == 0

        await sign_in(page, f"{served}/workbench", bare(admin))
        teams = page.locator("#team option")
        await expect(teams).to_have_count(2, timeout=WAIT_MS)
        assert await page.text_content("#who") == "张管理员 · 管理员"
        # A reload keeps the session (the tab's).
        await page.reload()
        await expect(teams).to_have_count(2, timeout=WAIT_MS)
        await page.locator("#activities-table td.empty", has_text="没有活动").wait_for()
        assert unexpected(errors) == []


async def test_a_walk_in_is_found_by_name_and_their_attendance_entered_from_the_sheet(
    volunteers, runtime, team, volunteer, held, workbench
):
    team_id, coordinator = await team()
    li = await volunteer()  # 李明, signed up
    zhang = await volunteer(name="张华")  # came without signing up
    activity_id, starts = await held(team_id, li)

    async with workbench(coordinator) as (page, errors):
        await page.locator("#activities-table button", has_text="名单与出勤").click()
        walk_in = page.locator("#walkin-form")
        await walk_in.wait_for()
        await walk_in.locator("button[type=submit]").click()
        await walk_in.locator(".errors li", has_text="请先查找并选中").wait_for()

        # 李明 signed up: not offered here; 张华 found by name, chosen, and entered.
        await walk_in.locator("[name=who]").fill(VOLUNTEER["name"])
        await walk_in.locator("[name=who]").press("Enter")
        await walk_in.locator(".found li", has_text="没有找到").wait_for()
        await walk_in.locator("[name=who]").fill("张")  # part of a name finds nobody: why
        await walk_in.locator("button.find").click()
        await walk_in.locator(".found li", has_text="请输入完整的姓名，或输入手机号").wait_for()
        await walk_in.locator("[name=who]").fill("张华")
        await walk_in.locator("button.find").click()
        await walk_in.locator(f".found input[value='{zhang}']").wait_for()
        assert await walk_in.locator(f".found input[value='{zhang}']").is_checked()
        # The sheet's check-out after the activity ended: in words, in office time.
        ends = starts + timedelta(hours=3)
        await walk_in.locator("[name=checked_out_at]").fill(
            typed(ends + timedelta(minutes=10), runtime)
        )
        await walk_in.locator("button[type=submit]").click()
        over = typed(ends, runtime).replace("T", " ")
        await walk_in.locator(
            ".errors li", has_text=f"签退时间：不能晚于活动结束时间（{over}）"
        ).wait_for()
        late = starts + timedelta(hours=1)
        await walk_in.locator("[name=checked_in_at]").fill(typed(late, runtime))
        await walk_in.locator("[name=checked_out_at]").fill(typed(ends, runtime))
        await walk_in.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已补录 张华 的出勤").wait_for()
        await page.locator(f"#roster-table tr[data-volunteer='{zhang}']").wait_for()

        [entered] = (await volunteers.get(f"/hours?volunteer_id={zhang}")).json()["items"]
        assert (entered["state"], entered["hours"], entered["source_id"]) == (
            "pending",
            2.0,
            str(activity_id),
        )
        shown = (await volunteers.get(f"/hours/{entered['record_id']}")).json()
        assert [n["note"] for n in shown["notes"]] == ["据纸质签到表补录"]
        assert unexpected(errors) == []


async def test_verified_hours_found_wrong_are_corrected_and_pending_again(
    volunteers, team, volunteer, held, workbench, attended, verified
):
    team_id, coordinator = await team()
    li = await volunteer()  # 李明
    activity_id, starts = await held(team_id, li)
    await attended(activity_id, li, starts, hours=3)
    record = await verified(li)

    async with workbench(coordinator) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        await page.locator("#hours-table td.empty", has_text="没有待审核的时长").wait_for()
        await page.locator("#hours-state").select_option("verified")
        row = page.locator(f"#hours-table tr[data-record='{record['record_id']}']")
        await row.get_by_role("button", name="更正").click()
        form = page.locator("#correct-form")
        assert await form.locator("[name=hours]").input_value() == "3"
        await form.locator("[name=hours]").fill("3")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="无需更正").wait_for()
        await form.locator("[name=hours]").fill("")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="时长：必填").wait_for()
        await form.locator("[name=hours]").fill("3.5")
        await form.locator("button[type=submit]").click()
        await form.locator(
            ".errors li", has_text="时长：不能超过活动本身的时长（3 小时）"
        ).wait_for()
        await form.locator("[name=hours]").fill("2.1")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="时长：按一刻钟计，须为 0.25 的倍数").wait_for()
        await form.locator("[name=hours]").fill("2.5")
        await form.locator("[name=note]").fill("签退时间按签到表应为 11:30")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="更正为 2.5 小时，待重新审核").wait_for()
        await page.locator("#hours-table td.empty", has_text="没有已核实的时长").wait_for()

        corrected = (await volunteers.get(f"/hours/{record['record_id']}")).json()
        assert (corrected["state"], corrected["hours"], corrected["reason"]) == (
            "pending",
            2.5,
            "wrong-times",
        )
        await page.locator("#hours-state").select_option("pending")
        await row.get_by_role("button", name="核实", exact=True).wait_for()
        assert unexpected(errors) == []


async def test_a_coordinator_issues_a_members_certificate_of_their_verified_hours(
    volunteers, team, volunteer, held, workbench, attended, verified, joined
):
    team_id, coordinator = await team()
    li = await volunteer()  # 李明
    zhang = await volunteer(name="张华")
    await joined(team_id, li, zhang)
    activity_id, starts = await held(team_id, li)
    await attended(activity_id, li, starts, hours=2)
    await verified(li)

    async with workbench(coordinator) as (page, errors):
        await page.click(".tab[data-tab=members]")
        members = page.locator("#members-table tbody tr")
        await expect(members).to_have_count(3, timeout=WAIT_MS)
        li_row = page.locator(f"#members-table tr[data-volunteer='{li}']")
        assert VOLUNTEER["name"] in await li_row.text_content()
        assert "队员" in await li_row.text_content()
        coordinator_row = page.locator(f"#members-table tr[data-volunteer='{coordinator}']")
        assert "协调员" in await coordinator_row.text_content()

        # 张华 has no verified hours: nothing to certify, said so.
        panel = page.locator("#certificate-panel")
        await page.locator(f"#members-table tr[data-volunteer='{zhang}'] button").click()
        await panel.locator(".issued", has_text="还没有出具过证明").wait_for()
        await panel.locator(".facts", has_text="还没有已核实的服务时长，不能出具证明").wait_for()
        assert await page.is_disabled("#certificate-issue")
        assert [e for e in errors if "404" in e] == []  # asked whether there is one: no 404
        assert (await volunteers.get(f"/volunteers/{zhang}/certificate")).status_code == 404

        # 李明's two verified hours: certified, and the certificate opens to print.
        await li_row.locator("button").click()
        await panel.locator(".facts", has_text="共 2.00 小时").wait_for()
        assert await page.is_hidden("#certificate-open")
        await page.click("#certificate-issue")
        await page.locator("#message", has_text=f"已为 {VOLUNTEER['name']} 出具证明").wait_for()
        await panel.locator(".issued", has_text="有效").wait_for()
        issued = (await volunteers.get(f"/volunteers/{li}/certificate")).json()
        assert (issued["total_hours"], issued["valid"]) == (2.0, True)
        assert issued["number"] in await panel.locator(".issued").text_content()
        async with page.expect_popup() as opening:
            await page.click("#certificate-open")
        sheet = await opening.value
        await sheet.locator("h1", has_text="志愿服务记录证明").wait_for()
        assert VOLUNTEER["name"] in await sheet.content()
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(served, volunteer):
    await volunteer()
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/workbench")
        script = await client.get("/static/workbench/workbench.js")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        served = {asset: (await client.get(asset)).status_code for asset in assets}
    assert page.status_code == 200
    assert served == dict.fromkeys(assets, 200)
    assert len(assets) == 3  # its own script and style, and the common style
    assert "志愿服务工作台" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    # No inline style but the certificate's own, which it opens: by its hash.
    assert "style-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert VOLUNTEER["name"] not in page.text  # everything comes from the API, with a token
    assert '"left-early":"提前离场"' in page.text  # the words for the codes, inline
    assert script.status_code == 200
    assert "innerHTML" not in script.text  # text only: a name can never run as code


async def test_a_coordinator_schedules_and_cancels_an_activity_and_adds_a_member(
    volunteers, runtime, team, volunteer, workbench
):
    team_id, coordinator = await team()
    zhang = await volunteer(name="张华")
    site = await volunteers.post(
        "/sites",
        json={"kind": "social_work_station", "name": "凤山社工站", "community_id": "fengshan"},
    )
    assert site.status_code == 201, site.text
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    async with workbench(coordinator) as (page, errors):
        await page.locator("#activities-table td.empty", has_text="没有活动").wait_for()
        form = await schedule_form(page)
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="活动名称：必填").wait_for()
        # Times wrong beside fields missing: every error at once, in the form's order (but a
        # start past, which the server says by its clock once the rest is right).
        yesterday = starts - timedelta(days=3)
        await form.locator("[name=starts_at]").fill(typed(yesterday, runtime))
        await form.locator("[name=ends_at]").fill(typed(yesterday - timedelta(hours=1), runtime))
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="须晚于开始时间").wait_for()
        assert await form.locator(".errors li").all_text_contents() == [
            "活动名称：必填",
            "结束时间：须晚于开始时间",
            "名额：必填",
        ]
        for field in ("title", "ends_at", "capacity"):
            invalid = await form.locator(f"[name={field}]").get_attribute("aria-invalid")
            assert invalid == "true", field

        await form.locator("[name=title]").fill("助老理发进社区")
        await form.locator("[name=community_id]").select_option("fengshan")
        await form.locator(f"[name=site_id] option[value='{site.json()['site_id']}']").wait_for(
            state="attached"
        )
        await form.locator("[name=site_id]").select_option(site.json()["site_id"])
        await form.locator("[name=starts_at]").fill(typed(starts, runtime))
        await form.locator("[name=ends_at]").fill(typed(starts - timedelta(hours=1), runtime))
        await form.locator("[name=capacity]").fill("8")
        await form.locator("[name=need_categories][value=haircut]").check()
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="结束时间：须晚于开始时间").wait_for()
        await form.locator("[name=ends_at]").fill(typed(starts + timedelta(hours=2), runtime))
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已安排活动「助老理发进社区」").wait_for()
        row = page.locator("#activities-table tbody tr", has_text="助老理发进社区")
        await row.wait_for()

        [scheduled] = (await volunteers.get(f"/activities?team_id={team_id}")).json()["items"]
        assert datetime.fromisoformat(scheduled["starts_at"]) == starts
        assert datetime.fromisoformat(scheduled["ends_at"]) == starts + timedelta(hours=2)
        assert (scheduled["capacity"], scheduled["need_categories"], scheduled["site_id"]) == (
            8,
            ["haircut"],
            site.json()["site_id"],
        )

        # Cancelled, with why: gone from the list of those to come.
        await row.locator("button", has_text="取消活动").click()
        cancel = page.locator("#cancel-form")
        await cancel.locator(".what", has_text="助老理发进社区").wait_for()
        await cancel.locator("[name=reason]").select_option("weather")
        await cancel.locator("[name=note]").fill("台风预警，改期另行通知")
        await cancel.locator("button[type=submit]").click()
        await page.locator(
            "#message", has_text="已取消活动「助老理发进社区」（天气原因）"
        ).wait_for()
        await row.wait_for(state="detached")
        cancelled = (await volunteers.get(f"/activities/{scheduled['activity_id']}")).json()
        assert cancelled["state"] == "cancelled"

        # 张华 found as a walk-in is, and made a coordinator of the team.
        await page.click(".tab[data-tab=members]")
        member = page.locator("#member-form")
        await member.locator("[name=who]").fill("张华")
        await member.locator("[name=who]").press("Enter")
        await member.locator(f".found input[value='{zhang}']").wait_for()
        await member.locator("[name=role]").select_option("coordinator")
        await member.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已将 张华 加入本队（协调员）").wait_for()
        added = page.locator(f"#members-table tr[data-volunteer='{zhang}']")
        await added.locator("td", has_text="协调员").wait_for()
        roles = {
            m["volunteer_id"]: m["role"]
            for m in (await volunteers.get(f"/teams/{team_id}/members")).json()
        }
        assert roles[zhang] == "coordinator"
        assert unexpected(errors) == []


async def test_on_a_phone_the_roster_records_attendance_on_screen(team, volunteer, held, workbench):
    team_id, coordinator = await team()
    li = await volunteer()
    await held(team_id, li)

    async with workbench(coordinator, phone=True) as (page, _):
        await page.locator("#activities-table button", has_text="名单与出勤").click()
        await on_screen(
            page.locator(f"#roster-table tr[data-volunteer='{li}'] button[type=submit]")
        )


async def test_on_a_phone_the_activities_and_the_hours_offer_their_buttons_on_screen(
    team, volunteer, held, workbench, attended
):
    team_id, coordinator = await team()
    li = await volunteer()
    activity_id, starts = await held(team_id, li)
    await attended(activity_id, li, starts, hours=3)

    async with workbench(coordinator, phone=True) as (page, _):
        row = page.locator(f"#activities-table tr[data-activity='{activity_id}']")
        await on_screen(row.locator("button", has_text="名单与出勤"))
        await row.locator("td[data-label=状态]", has_text="已结束").wait_for()

        await page.click(".tab[data-tab=hours]")
        record = page.locator("#hours-table tbody tr[data-record]")
        await on_screen(record.get_by_role("button", name="核实", exact=True))
        await on_screen(record.get_by_role("button", name="不予核实"))
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


async def test_a_title_giving_a_phone_number_is_refused_in_chinese(
    volunteers, runtime, team, workbench
):
    team_id, coordinator = await team()
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    async with workbench(coordinator) as (page, _):
        form = await schedule_form(page)
        await form.locator("[name=title]").fill("上门理发，联系 138-1234-5678")
        await form.locator("[name=starts_at]").fill(typed(starts, runtime))
        await form.locator("[name=ends_at]").fill(typed(starts + timedelta(hours=2), runtime))
        await form.locator("[name=capacity]").fill("5")
        await form.locator("button[type=submit]").click()
        error = form.locator(".errors li", has_text="活动名称：")
        await error.wait_for()
        assert await error.text_content() == (
            "活动名称：会公开在活动公告上：不能写手机号、身份证号，请写做什么"
        )
        assert await form.locator("[name=title]").get_attribute("aria-invalid") == "true"
    assert (await volunteers.get(f"/activities?team_id={team_id}")).json()["items"] == []


async def test_a_search_for_a_member_says_what_was_typed_wrong_or_found_nobody(
    team, volunteer, workbench
):
    _, coordinator = await team()
    zhang = await volunteer(name="张华")

    async with workbench(coordinator) as (page, errors):
        await page.click(".tab[data-tab=members]")
        member = page.locator("#member-form")
        await member.locator("[name=who]").fill("张华")
        await member.locator("[name=who]").press("Enter")
        await member.locator(f".found input[value='{zhang}']").wait_for()

        # Part of a number: the field named in Chinese, and 张华 no longer offered beside it.
        await member.locator("[name=who]").fill("138 0000")
        await member.locator("[name=who]").press("Enter")
        await member.locator(".errors li", has_text="手机号：应为 11 位手机号").wait_for()
        await member.locator(f".found input[value='{zhang}']").wait_for(state="detached")

        # A whole number nobody has: said so, not that the team's coordinators are left out.
        await member.locator("[name=who]").fill("13800000000")
        await member.locator("[name=who]").press("Enter")
        nobody = "没有找到手机号为“13800000000”的志愿者"
        await member.locator(".found li", has_text=nobody).wait_for()
        assert await member.locator(".errors li").count() == 0
        assert unexpected(errors) == []


async def test_at_an_activity_under_way_one_leaving_is_checked_out_now_as_defaulted(
    volunteers, runtime, team, volunteer, signed_up, workbench
):
    team_id, coordinator = await team()
    li = await volunteer()
    starts = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    activity_id = await signed_up(team_id, li, starts, hours=3)  # two hours still to go

    async with workbench(coordinator) as (page, errors):
        row = page.locator(f"#activities-table tr[data-activity='{activity_id}']")
        await row.locator("td", has_text="进行中").wait_for()
        await row.locator("button", has_text="名单与出勤").click()
        form = page.locator(f"#roster-table tr[data-volunteer='{li}'] form")
        await form.wait_for()
        # He leaves now: what the form holds is recorded, not refused as a time to come.
        before = datetime.now(UTC).replace(second=0, microsecond=0)
        assert await form.locator("[name=checked_in_at]").input_value() == typed(starts, runtime)
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text=f"已记录 {VOLUNTEER['name']} 的出勤").wait_for()
        assert unexpected(errors) == []

    [signup] = (await volunteers.get(f"/activities/{activity_id}/signups")).json()
    checked_out = datetime.fromisoformat(signup["checked_out_at"])
    assert before - timedelta(minutes=1) <= checked_out <= datetime.now(UTC)


async def test_a_certificate_says_whether_it_holds_every_hour_verified_since(
    volunteers, team, volunteer, signed_up, workbench, attended, verified, joined
):
    team_id, coordinator = await team()
    li = await volunteer()
    await joined(team_id, li)

    async def served_hours(days_ago: int, hours: int) -> None:
        starts = (datetime.now(UTC) - timedelta(days=days_ago)).replace(second=0, microsecond=0)
        activity_id = await signed_up(team_id, li, starts, hours)
        await attended(activity_id, li, starts, hours)
        await verified(li)

    await served_hours(days_ago=3, hours=2)
    assert (await volunteers.post(f"/volunteers/{li}/certificates")).status_code == 201

    async with workbench(coordinator) as (page, errors):
        await page.click(".tab[data-tab=members]")
        li_row = page.locator(f"#members-table tr[data-volunteer='{li}']")
        panel = page.locator("#certificate-panel")
        # Every verified hour on it: printed again, not issued again.
        await li_row.locator("button").click()
        await panel.locator(".issued", has_text="已包含全部已核实的服务时长").wait_for()

        # An hour verified since: valid still, but without that hour.
        await served_hours(days_ago=2, hours=1)
        await li_row.locator("button").click()
        await panel.locator(".facts", has_text="共 3.00 小时").wait_for()
        await panel.locator(
            ".issued", has_text="共 2.00 小时，有效；此后核实的 1.00 小时未计入，可出具新证明"
        ).wait_for()
        assert unexpected(errors) == []


async def test_an_activity_scheduled_overnight_is_said_with_both_days(runtime, team, workbench):
    _, coordinator = await team()
    evening = (datetime.now(UTC) + timedelta(days=2)).astimezone(runtime.settings.zone())
    starts = evening.replace(hour=20, minute=0, second=0, microsecond=0)
    ends = starts + timedelta(hours=12)  # a night's watch, to eight the next morning

    async with workbench(coordinator) as (page, _):
        form = await schedule_form(page)
        await form.locator("[name=title]").fill("寒潮夜间巡访")
        await form.locator("[name=starts_at]").fill(typed(starts, runtime))
        await form.locator("[name=ends_at]").fill(typed(ends, runtime))
        await form.locator("[name=capacity]").fill("4")
        await form.locator("button[type=submit]").click()
        day = "一二三四五六日"[starts.weekday()]
        said = (
            f"已安排活动「寒潮夜间巡访」（{starts:%Y-%m-%d}（周{day}）{starts:%H:%M}"
            f" – {ends:%Y-%m-%d %H:%M}）"
        )
        await page.locator("#message", has_text=said).wait_for()


async def test_on_a_phone_a_members_certificate_opens_in_sight_of_a_long_list(
    team, volunteer, joined, workbench
):
    team_id, coordinator = await team()
    await joined(team_id, *[await volunteer(name=f"志愿者{n}") for n in "甲乙丙丁戊己庚辛壬癸"])

    async with workbench(coordinator, phone=True) as (page, errors):
        await page.click(".tab[data-tab=members]")
        rows = page.locator("#members-table tbody tr")
        await expect(rows).to_have_count(11, timeout=WAIT_MS)
        await rows.last.locator("button").click()
        panel = page.locator("#certificate-panel")
        await panel.locator(".facts", has_text="还没有已核实的服务时长").wait_for()
        box = await panel.bounding_box()
        assert box is not None
        assert 0 <= box["y"]
        assert (
            box["y"] + box["height"] <= PHONE["height"]
        )  # the whole panel, without scrolling to it
        assert unexpected(errors) == []


async def ten_hours_to_review(team, volunteer, held, attended) -> str:
    """A coordinator's token with a long list on the hours tab: two activities held at once,
    five places each, ten hours to review."""
    team_id, coordinator = await team()
    serving = [await volunteer(name=f"志愿者{n}") for n in "甲乙丙丁戊己庚辛壬癸"]
    for five in (serving[:5], serving[5:]):
        activity_id, starts = await held(team_id, *five)
        for who in five:
            await attended(activity_id, who, starts, hours=2)
    return coordinator


async def in_sight(message) -> None:
    """The message is on a phone's screen, not above or below it."""
    await message.wait_for()
    box = await message.bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= PHONE["height"] - box["height"]


async def test_on_a_phone_hours_judged_meanwhile_are_said_in_sight_of_a_long_list(
    volunteers, team, volunteer, held, attended, workbench
):
    coordinator = await ten_hours_to_review(team, volunteer, held, attended)

    async with workbench(coordinator, phone=True) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        rows = page.locator("#hours-table tbody tr[data-record]")
        await expect(rows).to_have_count(10, timeout=WAIT_MS)
        record = await rows.last.get_attribute("data-record")
        verified = await volunteers.post(f"/hours/{record}/verify", json={})
        assert verified.status_code == 200, verified.text
        await rows.last.get_by_role("button", name="核实", exact=True).click()
        message = page.locator("#message.error", has_text="这条时长已经审核过了")
        await in_sight(message)
        assert unexpected(errors) == []


async def test_on_a_phone_hours_verified_are_said_in_sight_of_a_long_list(
    team, volunteer, held, attended, workbench
):
    coordinator = await ten_hours_to_review(team, volunteer, held, attended)

    async with workbench(coordinator, phone=True) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        rows = page.locator("#hours-table tbody tr[data-record]")
        await expect(rows).to_have_count(10, timeout=WAIT_MS)
        await rows.last.get_by_role("button", name="核实", exact=True).click()
        message = page.locator("#message", has_text="已核实")
        await in_sight(message)
        await expect(page.locator("#message")).to_be_focused(timeout=WAIT_MS)
        assert unexpected(errors) == []


async def test_whether_an_activity_starts_in_the_past_is_the_servers_to_say(
    volunteers, runtime, team, workbench
):
    team_id, coordinator = await team()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    yesterday = tomorrow - timedelta(days=2)

    async with workbench(coordinator) as (page, errors):
        form = await schedule_form(page)
        # The computer's clock three days fast: tomorrow is past by it, not by the server's.
        await page.clock.set_fixed_time(datetime.now(UTC) + timedelta(days=3))
        await form.locator("[name=starts_at]").fill(typed(tomorrow, runtime))
        await form.locator("[name=ends_at]").fill(typed(tomorrow + timedelta(hours=2), runtime))
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="活动名称：必填").wait_for()
        assert await form.locator(".errors li").all_text_contents() == [
            "活动名称：必填",
            "名额：必填",
        ]
        # Three days slow: yesterday is to come by it, and the server says it is past.
        await page.clock.set_fixed_time(datetime.now(UTC) - timedelta(days=3))
        await form.locator("[name=title]").fill("助老理发进社区")
        await form.locator("[name=capacity]").fill("8")
        await form.locator("[name=starts_at]").fill(typed(yesterday, runtime))
        await form.locator("[name=ends_at]").fill(typed(yesterday + timedelta(hours=2), runtime))
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="开始时间：").wait_for()
        assert await form.locator(".errors li").all_text_contents() == [
            "开始时间：须晚于现在：活动安排在将来",
        ]
        assert (await volunteers.get(f"/activities?team_id={team_id}")).json()["items"] == []
        await form.locator("[name=starts_at]").fill(typed(tomorrow, runtime))
        await form.locator("[name=ends_at]").fill(typed(tomorrow + timedelta(hours=2), runtime))
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已安排活动「助老理发进社区」").wait_for()
        assert unexpected(errors) == []

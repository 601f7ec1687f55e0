"""The volunteers' own page (我的志愿服务) in a real headless Chromium: a volunteer signs in with
their own token, signs up for an activity and withdraws, is told in Chinese why a sign-up is
refused, and reads their hours — verified, pending, declined and why — and their certificate;
what the page sends is what the API records."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest
from playwright.async_api import Page, expect

from wushe_service.auth import Role, revoke_token
from wushe_service.browser_testing import WAIT_MS, bare, errors_of, sign_in, unexpected
from wushe_volunteers.commands.hours import record_wish_hours

from .conftest import PHONE, VOLUNTEER


@pytest.fixture
def my_page(signed_in, token_for):
    """The page in a fresh tab, signed in with a volunteer's own token (李明's, naming `person`;
    on a phone's screen when told): the page, and what goes wrong on it (`errors_of`)."""

    @contextlib.asynccontextmanager
    async def as_volunteer(person, *, phone: bool = False) -> AsyncIterator[tuple[Page, list]]:
        token = bare(await token_for(Role.volunteer, "李明", person=person))
        async with signed_in("/my", token, phone=phone) as (page, errors):
            yield page, errors

    return as_volunteer


async def signed_up_ids(volunteers, activity_id: str) -> list[str]:
    roster = (await volunteers.get(f"/activities/{activity_id}/signups")).json()
    return [s["volunteer_id"] for s in roster if s["state"] == "active"]


async def test_a_volunteer_signs_up_is_refused_in_chinese_and_withdraws(
    my_page, volunteers, team, volunteer, activity
):
    team_id, coordinator = await team()
    li = await volunteer()
    haircut = await activity(team_id, days=2, title="理发进社区")
    clinic = await activity(team_id, days=3, title="社区义诊")
    same_time = await activity(team_id, days=3, title="同一时间的敬老活动")
    full = await activity(team_id, days=4, capacity=1, title="名额一个的活动")
    taken = await volunteers.post(f"/activities/{full}/signups", json={"volunteer_id": coordinator})
    assert taken.status_code == 200, taken.text

    async with my_page(li) as (page, errors):
        # The sign-in form gone, the keyboard goes on from the heading shown, not the page's top.
        await expect(page.locator("#work h2:visible").first).to_be_focused(timeout=WAIT_MS)
        cards = page.locator("#activities-list li")
        await expect(cards).to_have_count(4, timeout=WAIT_MS)
        assert await page.text_content("#who") == "李明"
        assert "理发进社区" in await cards.nth(0).text_content()  # soonest first
        full_card = page.locator(f"#activities-list li[data-activity='{full}']")
        assert "名额已满" in await full_card.text_content()
        assert await full_card.locator("button").count() == 0

        await cards.nth(0).get_by_role("button", name="报名").click()
        await page.locator("#message", has_text="已报名「理发进社区」").wait_for()
        await cards.nth(0).locator(".state", has_text="已报名").wait_for()
        assert await signed_up_ids(volunteers, haircut) == [li]

        # Signed up for 社区义诊 elsewhere meanwhile: the same time's activity is refused, in
        # words naming it, and nothing changes.
        elsewhere = await volunteers.post(
            f"/activities/{clinic}/signups", json={"volunteer_id": li}
        )
        assert elsewhere.status_code == 200, elsewhere.text
        # Said on the card tapped, where a phone's reader is: the message above is scrolled off.
        clashing = page.locator(f"#activities-list li[data-activity='{same_time}']")
        await clashing.get_by_role("button", name="报名").click()
        await clashing.locator(
            "[role=alert].error",
            has_text="未能报名「同一时间的敬老活动」：您在同一时间已报名「社区义诊」",
        ).wait_for()
        assert await signed_up_ids(volunteers, same_time) == []
        # Now the page knows: the clash is shown, with which, and signing up is not offered.
        await clashing.locator(".state", has_text="时间冲突").wait_for()
        assert "已报名「社区义诊」（" in await clashing.locator("p.meta").last.text_content()
        assert await clashing.locator("button").count() == 0
        clinic_card = page.locator(f"#activities-list li[data-activity='{clinic}']")
        assert "已报名" in await clinic_card.locator(".state").text_content()

        # Their sign-ups, and one withdrawn.
        await page.click(".tab[data-tab=signups]")
        mine = page.locator("#signups-list li")
        await expect(mine).to_have_count(2, timeout=WAIT_MS)
        # Where each is: the community, as the board names it.
        assert "fengshan 社区" in await mine.nth(0).text_content()
        await page.locator(f"#signups-list li[data-activity='{clinic}'] button").click()
        await page.locator("#message", has_text="已取消报名「社区义诊」").wait_for()
        await page.locator(
            f"#signups-list li[data-activity='{clinic}'] .state", has_text="已撤回"
        ).wait_for()
        assert await signed_up_ids(volunteers, clinic) == []
        assert await signed_up_ids(volunteers, haircut) == [li]

        # Signing out forgets the token; the keyboard goes on from the token's field.
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        await expect(page.locator("#token")).to_be_focused(timeout=WAIT_MS)
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_a_volunteer_reads_their_hours_and_certificate(
    my_page, volunteers, runtime, team, volunteer, signed_up
):
    team_id, _ = await team()
    li = await volunteer()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    records = {}
    for days, outcome in ((6, "verify"), (4, "decline"), (2, None)):
        starts = now - timedelta(days=days)
        activity_id = await signed_up(team_id, li, starts, hours=3)
        attended = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": li,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (starts + timedelta(hours=2 if outcome else 1.5)).isoformat(),
            },
        )
        assert attended.status_code == 201, attended.text
        (record,) = (await volunteers.get(f"/hours?volunteer_id={li}&state=pending")).json()[
            "items"
        ]
        records[outcome] = record["record_id"]
        if outcome == "verify":
            judged = await volunteers.post(f"/hours/{record['record_id']}/verify", json={})
        elif outcome == "decline":
            judged = await volunteers.post(
                f"/hours/{record['record_id']}/decline",
                json={"reason": "left-early", "note": "签到后即离开"},
            )
        if outcome:
            assert judged.status_code == 200, judged.text
    # Two micro-wishes fulfilled, their social worker's confirmation still to come; the hours
    # of one corrected by a coordinator meanwhile, which the confirmation verifies all the same.
    async with runtime.store.transaction() as tx:
        await record_wish_hours(tx, uuid4(), UUID(li), 0.25)
        await record_wish_hours(tx, uuid4(), UUID(li), 1)
    wish, corrected = sorted(
        (
            h
            for h in (await volunteers.get(f"/hours?volunteer_id={li}")).json()["items"]
            if h["source"] == "wish"
        ),
        key=lambda h: h["hours"],
    )
    correction = {"hours": 0.5, "reason": "wrong-times"}
    fixed = await volunteers.post(f"/hours/{corrected['record_id']}/correct", json=correction)
    assert fixed.status_code == 200, fixed.text

    async with my_page(li) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        await expect(page.locator("#hours-list li")).to_have_count(5, timeout=WAIT_MS)
        # Pending a coordinator's review apart from awaiting a social worker's confirmation.
        assert await page.text_content("#hours-total") == (
            "已核实 2.00 小时，另有 1.50 小时待审核、0.75 小时待社工确认心愿完成"
        )
        waiting = page.locator(f"#hours-list li[data-record='{wish['record_id']}']")
        assert "待社工确认心愿完成" in await waiting.text_content()
        again = page.locator(f"#hours-list li[data-record='{corrected['record_id']}']")
        assert await again.locator(".state").text_content() == "待社工确认心愿完成"
        # Its day as the activities' are written: 2026-12-07, not 2026/12/7.
        days = await page.locator("#hours-list li").all_text_contents()
        assert all(re.search(r"\d{4}-\d{2}-\d{2} · ", day) for day in days), days
        declined = page.locator(f"#hours-list li[data-record='{records['decline']}']")
        text = await declined.text_content()
        assert "不予核实" in text
        assert "原因：提前离场" in text
        assert "说明：签到后即离开" in text
        assert "助老理发" in text
        pending = page.locator(f"#hours-list li[data-record='{records[None]}']")
        assert "待审核" in await pending.text_content()

        # No certificate yet: who issues one is said, and nothing offered that opens nothing.
        await page.locator("#certificate-state", has_text="由您所在队伍的协调员").wait_for()
        assert await page.is_hidden("#certificate")
        # Once a coordinator issued one, it is named and opens in a new tab.
        issued = await volunteers.post(f"/volunteers/{li}/certificates")
        assert issued.status_code == 201, issued.text
        await page.click(".tab[data-tab=hours]")
        number = issued.json()["number"]
        await page.locator("#certificate-state", has_text=f"最近一份证明：{number}").wait_for()
        async with page.expect_popup() as opening:
            await page.click("#certificate")
        sheet = await opening.value
        await sheet.locator("h1", has_text="志愿服务记录证明").wait_for()
        content = await sheet.content()
        assert VOLUNTEER["name"] in content
        assert "2.00" in content
        assert unexpected(errors) == []


async def test_the_page_is_for_the_volunteer_themself(
    tab, served, volunteers, runtime, team, volunteer, token_for
):
    _, coordinator = await team()
    await volunteer()
    refusals = (
        ("not-a-token", "令牌无效"),
        (await token_for(Role.admin, "张管理员"), "此令牌的角色（管理员）不能使用本页面"),
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

        # A coordinator is a volunteer too; a reload keeps the session (the tab's).
        as_coordinator = await token_for(Role.coordinator, "王协调", person=coordinator)
        await sign_in(page, f"{served}/my", bare(as_coordinator))
        await page.locator("#activities-list li.empty", has_text="没有可报名的活动").wait_for()
        await page.reload()
        await page.locator("#activities-list li.empty", has_text="没有可报名的活动").wait_for()
        assert await page.text_content("#who") == "王协调"

        # The token revoked meanwhile: the next call ends the session, saying why.
        me = (await volunteers.get("/me", headers=as_coordinator)).json()
        assert await revoke_token(runtime.engine, UUID(me["token_id"]))
        await until_refused(volunteers, as_coordinator)
        await page.click(".tab[data-tab=signups]")
        await page.locator("#signin-error", has_text="登录已失效").wait_for()
        assert await page.is_visible("#signin")
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def until_refused(client, headers: dict) -> None:
    """Until the service has heard of the token's revocation (announced, not awaited)."""
    deadline = asyncio.get_running_loop().time() + 10
    while (await client.get("/me", headers=headers)).status_code != 401:
        assert asyncio.get_running_loop().time() < deadline, "the revocation was not heard of"
        await asyncio.sleep(0.05)


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(served, volunteer):
    await volunteer()
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
    assert "我的志愿服务" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert VOLUNTEER["name"] not in page.text  # everything comes from the API, with a token
    assert "innerHTML" not in script.text  # text only: a name can never run as code


async def test_the_activities_are_narrowed_by_community_and_service(
    my_page, volunteers, team, volunteer, activity
):
    team_id, _ = await team()
    li = await volunteer()
    await activity(team_id, days=2, title="理发进社区")  # 丰山, any service
    starts = datetime.now(UTC) + timedelta(days=3)
    elsewhere = await volunteers.post(
        "/activities",
        json={
            "team_id": team_id,
            "community_id": "lanjiang",
            "title": "兰江义诊",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "capacity": 5,
            "need_categories": ["medical"],
        },
    )
    assert elsewhere.status_code == 201, elsewhere.text

    async with my_page(li) as (page, errors):
        cards = page.locator("#activities-list li")
        await expect(cards).to_have_count(2, timeout=WAIT_MS)
        await page.locator("#community").select_option("lanjiang")
        await expect(cards).to_have_count(1, timeout=WAIT_MS)
        assert "兰江义诊" in await cards.first.text_content()
        await page.locator("#community").select_option("")
        await page.locator("#need-category").select_option("medical")
        await expect(cards).to_have_count(1, timeout=WAIT_MS)
        assert "兰江义诊" in await cards.first.text_content()
        assert unexpected(errors) == []


async def test_on_a_phone_a_sign_up_is_said_in_sight_of_a_long_list(
    my_page, team, volunteer, activity
):
    team_id, _ = await team()
    li = await volunteer()
    for day in range(1, 9):
        await activity(team_id, days=day, title=f"第{day}场活动")

    async with my_page(li, phone=True) as (page, errors):
        cards = page.locator("#activities-list li")
        await expect(cards).to_have_count(8, timeout=WAIT_MS)
        await cards.last.get_by_role("button", name="报名").click()
        message = page.locator("#message", has_text="已报名「第8场活动」")
        await message.wait_for()
        box = await message.bounding_box()
        assert box is not None
        assert 0 <= box["y"] <= PHONE["height"] - box["height"]  # on the screen, not above it
        # The button tapped gone with the list read again, the keyboard goes on from what it did.
        await expect(page.locator("#message")).to_be_focused(timeout=WAIT_MS)
        assert unexpected(errors) == []

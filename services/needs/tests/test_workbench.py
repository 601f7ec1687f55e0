"""The social workers' workbench (社工工作台) in a real headless Chromium: a social worker signs
in with their token, sees who is due a visit, registers a resident and records a visit, and
what the page sends is what the API records."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, errors_of, sign_in, unexpected
from wushe_service.identity import check_digit

from .conftest import PHONE, RESIDENT


@pytest.fixture
async def social_worker(token_for) -> str:
    headers = await token_for(Role.social_worker, "王社工")
    return bare(headers)


@pytest.fixture
def workbench(signed_in, social_worker):
    """`async with workbench(phone=True) as (page, errors)`: the workbench in a fresh tab (on
    a phone's screen when told), signed in with 王社工's token, and what goes wrong on it."""
    return functools.partial(signed_in, "/workbench", social_worker)


async def test_a_social_worker_registers_a_resident_and_records_their_visit(
    tab, served, needs, resident, social_worker, count_events
):
    await resident()  # 王秀英 of 丰山社区, never visited
    # A PC left on UTC: the page still types and reads the office's clocks (Asia/Shanghai).
    async with tab(timezone_id="UTC") as page:
        errors = errors_of(page)

        # A wrong token is refused, and nothing is kept of it.
        await sign_in(page, f"{served}/workbench", "not-a-token")
        await page.locator("#signin-error", has_text="令牌无效").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0

        await sign_in(page, f"{served}/workbench", social_worker)
        # The sign-in form gone, the keyboard goes on from the list shown, not the page's top.
        await expect(page.locator("#due h2")).to_be_focused(timeout=WAIT_MS)
        due = page.locator("#due-table tbody tr", has_text=RESIDENT["name"])
        await due.wait_for()
        assert RESIDENT["address"] in await due.text_content()
        assert "独居老人" in await due.text_content()
        assert await page.locator("#community").input_value() == "fengshan"
        assert await page.text_content("#who") == "王社工 · 社工"

        # A resident registered with a bad ID number: the field is named, nothing recorded.
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=name]").fill("李建国")
        await form.locator("[name=birth_year]").fill("1950")
        await form.locator("[name=id_number]").fill("110105195012310000")
        await form.locator("[name=phone]").fill("13900001111")
        await form.locator("input[name=groups][value=elderly]").check()
        await form.locator("[name=consent]").select_option("self")
        before = await count_events()
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="身份证号").wait_for()
        assert await form.locator("[name=id_number]").get_attribute("aria-invalid") == "true"
        assert await count_events() == before

        await form.locator("[name=id_number]").fill("")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已登记居民 李建国").wait_for()
        registered = page.locator("#due-table tbody tr", has_text="李建国")
        await registered.wait_for()
        assert "13900001111" in await registered.text_content()

        # Their visit: every dimension must be rated before anything is sent.
        await registered.locator("button", has_text="记录走访").click()
        await page.locator("#survey-name", has_text="李建国").wait_for()
        survey = page.locator("#survey-form")
        await survey.locator("button[type=submit]").click()
        await survey.locator(".errors li", has_text="四维评估").wait_for()
        for dimension, level in (("physical", 2), ("psychological", 1), ("material", 3)):
            await survey.locator(f"input[name=level-{dimension}][value='{level}']").check()
        await survey.locator("input[name=level-spiritual][value='0']").check()
        await page.click("#add-need")
        need = survey.locator(".need").first
        await need.locator("[name=need-category]").select_option("meal-delivery")
        await need.locator("[name=need-dimension]").select_option("material")
        await need.locator("[name=need-urgency]").select_option("high")
        await need.locator("[name=need-notes]").fill("忌辣")
        await survey.locator("[name=notes]").fill("老人精神尚好")
        office = ZoneInfo("Asia/Shanghai")
        shown = datetime.strptime(
            await survey.locator("[name=surveyed_at]").input_value(), "%Y-%m-%dT%H:%M"
        ).replace(tzinfo=office)
        assert timedelta(0) <= datetime.now(office) - shown < timedelta(minutes=2)
        visited = shown.replace(hour=9, minute=30)  # 09:30 as on the paper form
        if visited > datetime.now(office):
            visited -= timedelta(days=1)
        await survey.locator("[name=surveyed_at]").fill(visited.strftime("%Y-%m-%dT%H:%M"))
        await survey.locator("button[type=submit]").click()
        await page.locator("#message", has_text="发现需求 1 项").wait_for()
        # Back on the list the visit was started from, the focus on its heading.
        await expect(page.locator("#due h2")).to_be_focused(timeout=WAIT_MS)
        # The visit record sheet to print, in a tab of its own, with the name and the notes.
        async with page.expect_popup() as opening:
            await page.click("#message button:has-text('打印走访记录表')")
        sheet = await opening.value
        await sheet.locator("h1", has_text="入户走访记录表").wait_for()
        assert "李建国" in await sheet.content()
        assert "老人精神尚好" in await sheet.content()
        await sheet.close()
        # Visited now: off the list, 王秀英 still on it.
        await page.locator("#due-table tbody tr", has_text="李建国").wait_for(state="detached")
        await due.wait_for()

        # The roster lists everyone registered, visited or not.
        await page.click(".tab[data-tab=roster]")
        listed = page.locator("#roster-table tbody tr", has_text="李建国")
        await listed.wait_for()
        assert "70–79 岁" in await listed.text_content()
        await expect(page.locator("#roster-table tbody tr")).to_have_count(2, timeout=WAIT_MS)

        # What the API recorded is what was entered.
        [li] = (await needs.get("/residents?community_id=fengshan")).json()["items"][1:]
        [recorded] = (await needs.get(f"/surveys?resident_id={li['resident_id']}")).json()["items"]
        read = (await needs.get(f"/surveys/{recorded['survey_id']}")).json()
        assert read["method"] == "home_visit"
        assert read["dimensions"] == {
            "physical": 2,
            "psychological": 1,
            "material": 3,
            "spiritual": 0,
        }
        assert read["notes"] == "老人精神尚好"
        assert datetime.fromisoformat(read["surveyed_at"]) == visited
        [found] = read["needs"]
        assert (found["category"], found["dimension"], found["urgency"], found["notes"]) == (
            "meal-delivery",
            "material",
            "high",
            "忌辣",
        )

        # Signing out forgets the token.
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_a_namesake_is_registered_once_said_to_be_another_person(workbench, needs, resident):
    await resident()
    async with workbench() as (page, errors):
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=name]").fill(RESIDENT["name"])
        await form.locator("[name=birth_year]").fill(str(RESIDENT["birth_year"]))
        await form.locator("input[name=groups][value=elderly]").check()
        await form.locator("button[type=submit]").click()

        await form.locator(".errors li", has_text="同名").wait_for()  # in words, not the rule
        assert len((await needs.get("/residents")).json()["items"]) == 1
        await form.locator("[name=not_a_duplicate]").check()
        await form.locator("button[type=submit]").click()

        await page.locator("#message", has_text=f"已登记居民 {RESIDENT['name']}").wait_for()
        namesakes = page.locator("#due-table tbody tr", has_text=RESIDENT["name"])
        await expect(namesakes).to_have_count(2, timeout=WAIT_MS)  # once the list is reloaded
        assert len((await needs.get("/residents")).json()["items"]) == 2
        assert unexpected(errors) == []


async def test_a_station_works_in_its_streets_communities_and_other_roles_are_told_why_not(
    tab, served, needs, resident, surveyed, token_for
):
    someone = await resident()  # in fengshan, on 阳明街道; due a visit again
    await surveyed(someone, ("meal-delivery", "material", "normal"), days_ago=40)
    await resident(community_id="jiangbin", name="赵德明", id_number=None, phone=None)  # 兰江街道
    station = await token_for(Role.social_worker, "阳明社工站", street="阳明街道")
    coordinator = await token_for(Role.coordinator, "李协调员")
    async with tab() as page:
        errors = errors_of(page)
        await sign_in(page, f"{served}/workbench", bare(coordinator))
        await page.locator("#signin-error", has_text="协调员").wait_for()
        assert await page.is_visible("#signin")
        assert await page.evaluate("sessionStorage.length") == 0

        await sign_in(page, f"{served}/workbench", bare(station))
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        assert await page.text_content("#who") == "阳明社工站 · 社工 · 阳明街道"
        shown = await page.locator("#community option").all_text_contents()
        assert shown == ["阳明街道 丰山社区"]  # not 兰江街道's 江滨社区
        # A reload keeps the session (the tab's), and its street.
        await page.reload()
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        await expect(page.locator("#community option")).to_have_count(1, timeout=WAIT_MS)
        # The office moves the community to another street while the page is open: a need
        # ended there is refused in words, not in the API's English (this token serves …).
        await page.click(".tab[data-tab=needs]")
        await page.locator("#needs-table button", has_text="办结").click()
        moved = {"name": "丰山社区", "street": "兰江街道"}
        assert (await needs.post("/communities/fengshan/rename", json=moved)).status_code == 204
        await page.locator("#end-form button[type=submit]").click()
        refused = page.locator("#end-form .errors li")
        await expect(refused).to_have_text(
            "该社区在兰江街道，不在此令牌负责的阳明街道（可能刚划归其他街道）：请刷新页面。",
            timeout=WAIT_MS,
        )
        assert unexpected(errors) == []


async def test_a_residents_file_shows_who_they_are_their_assessment_and_visits(
    workbench, needs, resident, surveyed
):
    someone = await resident()
    await surveyed(someone, days_ago=40)
    await surveyed(someone, ("meal-delivery", "material", "high"), days_ago=5)
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()  # the name opens it
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        facts = await page.text_content("#file-facts")
        assert RESIDENT["address"] in facts
        assert RESIDENT["phone"] in facts
        assert "独居老人" in facts
        assessment = await page.text_content("#file-assessment")
        assert "身体 2" in assessment
        assert "物质 3" in assessment
        visits = page.locator("#file-visits tbody tr")
        await expect(visits).to_have_count(2, timeout=WAIT_MS)
        surveys = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"]
        latest_first = [s["survey_id"] for s in reversed(surveys)]
        assert [await visits.nth(i).get_attribute("data-survey") for i in (0, 1)] == latest_first
        async with page.expect_popup() as opening:
            await visits.nth(0).get_by_role("button", name="走访记录表").click()
        sheet = await opening.value
        await sheet.locator("h1", has_text="入户走访记录表").wait_for()
        await sheet.close()
        await page.click("#file-visit")
        await page.locator("#survey-name", has_text=RESIDENT["name"]).wait_for()
        assert unexpected(errors) == []


async def test_the_needs_list_posts_a_wish_for_a_need_and_ends_another(
    workbench, needs, resident, surveyed, known_volunteer
):
    someone = await resident()
    meals, company = await surveyed(
        someone,
        ("meal-delivery", "material", "normal"),
        ("companionship", "spiritual", "critical"),
    )
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=needs]")
        rows = page.locator("#needs-table tbody tr")
        await rows.nth(1).wait_for()
        # The most urgent first, each with whose it is.
        assert [await rows.nth(i).get_attribute("data-need") for i in (0, 1)] == [company, meals]
        assert "紧急" in await rows.nth(0).text_content()
        assert RESIDENT["name"] in await rows.nth(0).text_content()

        # A wish for the meals: a title naming the resident is refused, naming the field.
        await rows.nth(1).locator("button", has_text="发布微心愿").click()
        wish = page.locator("#wish-form")
        await wish.locator("[name=title]").fill(f"给{RESIDENT['name']}送餐")
        await wish.locator("[name=estimated_value_fen]").fill("0")
        await wish.locator("button[type=submit]").click()
        await wish.locator(".errors li", has_text="标题").wait_for()
        assert (await needs.get("/wishes")).json()["items"] == []
        await wish.locator("[name=title]").fill("每周送两次午餐")
        await wish.locator("[name=estimated_value_fen]").fill("120.505")  # a fen and a half
        await wish.locator("button[type=submit]").click()
        await wish.locator(".errors li", has_text="最多两位小数").wait_for()
        assert (await needs.get("/wishes")).json()["items"] == []
        await wish.locator("[name=estimated_value_fen]").fill("120.5")
        await wish.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已发布微心愿「每周送两次午餐」").wait_for()
        await page.locator(f"tr[data-need='{meals}']", has_text="回应中（微心愿）").wait_for()
        [posted] = (await needs.get("/wishes")).json()["items"]
        assert (posted["title"], posted["value_fen"], posted["need_id"]) == (
            "每周送两次午餐",
            12_050,
            meals,
        )

        # The companionship need ended unmet: the resident moved away.
        await page.locator(f"tr[data-need='{company}'] button", has_text="办结").click()
        end = page.locator("#end-form")
        await end.locator("[name=outcome]").select_option("closed")
        await end.locator("[name=reason]").select_option("moved-away")
        await end.locator("[name=notes]").fill("已随子女迁往宁波")
        await end.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已办结需求").wait_for()
        await page.locator(f"tr[data-need='{company}']").wait_for(state="detached")
        ended = (await needs.get(f"/needs/{company}")).json()
        assert (ended["state"], ended["resolution"], ended["reason"]) == (
            "closed",
            "closed",
            "moved-away",
        )
        assert ended["resolution_notes"] == "已随子女迁往宁波"

        # The wish claimed and fulfilled by a volunteer: the social worker confirms it.
        wish_id = posted["wish_id"]
        claimant = {"claimant_id": await known_volunteer("小李")}
        assert (await needs.post(f"/wishes/{wish_id}/claim", json=claimant)).status_code == 200
        done = await needs.post(f"/wishes/{wish_id}/fulfil", json={"hours": 1.5})
        assert done.status_code == 200
        await page.click(".tab[data-tab=wishes]")
        fulfilled = page.locator(f"#wishes-table tr[data-wish='{wish_id}']")
        await fulfilled.wait_for()
        assert "小李" in await fulfilled.text_content()
        # What the confirmation verifies: the hours the volunteer reported, and when.
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
        assert f"{today}，服务 1.5 小时" in await fulfilled.text_content()
        # No undo: it asks first, saying what confirming does to the volunteer's record.
        await fulfilled.locator("button", has_text="确认完成").click()
        question = page.locator("#confirm-form")
        await expect(question.locator("h3")).to_be_focused(timeout=WAIT_MS)
        said = await question.locator(".consequence").text_content()
        assert "小李报的服务 1.5 小时记为已核实的志愿服务时长，计入其服务记录" in said
        assert "它所回应的需求记为已解决" in said
        assert "不能撤销" in said
        await question.get_by_role("button", name="暂不确认").click()
        await question.wait_for(state="hidden")
        assert (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "fulfilled"
        await fulfilled.locator("button", has_text="确认完成").click()
        await question.get_by_role("button", name="确认心愿已完成").click()
        await page.locator("#message", has_text="已确认心愿「每周送两次午餐」完成").wait_for()
        await question.wait_for(state="hidden")
        await fulfilled.wait_for(state="detached")
        assert (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "confirmed"
        assert (await needs.get(f"/needs/{meals}")).json()["state"] == "resolved"
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(served, resident):
    await resident()
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/workbench")
        script = await client.get("/static/workbench/workbench.js")
        shared = await client.get("/static/common/forms.js")  # what every workbench imports
        # Every stylesheet and script the page names is there (a missing one would show in
        # the browser only as a note the browser tests leave aside).
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        assert len(assets) == 3
        for asset in assets:
            assert (await client.get(asset)).status_code == 200, asset
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert RESIDENT["name"] not in page.text  # everything comes from the API, with a token
    assert '"meal-delivery":"送餐"' in page.text  # the words for the codes, inline
    assert script.status_code == 200
    assert shared.status_code == 200
    for code in (script.text, shared.text):
        assert "innerHTML" not in code  # text only: a name can never run as code


async def test_a_list_read_again_shows_only_its_latest_reading(tab, served):
    """The pages' guard (forms.js `latestOnly`) against answers that come in another order than
    asked: a community chosen twice in quick succession lists the latter's residents."""
    async with tab() as page:
        await page.goto(f"{served}/workbench")
        current = await page.evaluate(
            """async () => {
                const { latestOnly } = await import("/static/common/forms.js");
                const latest = latestOnly();
                const first = latest("due"), roster = latest("roster"), second = latest("due");
                return [first(), roster(), second()];
            }"""
        )
    assert current == [False, True, True]  # the first reading of `due` is stale, not roster's


def id_number(birth: str) -> str:
    first = f"110105{birth}002"
    return first + check_digit(first)


def no_english(text: str) -> bool:
    return re.search(r"[A-Za-z]{3,}", text) is None


async def test_what_the_api_refuses_is_said_in_chinese_and_old_news_goes(
    workbench, needs, resident, surveyed
):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "normal"))
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        refusals = form.locator(".errors")
        await form.locator("[name=name]").fill("张小明")
        await form.locator("[name=birth_year]").fill("2090")
        await form.locator("button[type=submit]").click()
        await refusals.locator("li", has_text="人群类别：至少选一项").wait_for()
        await form.locator("input[name=groups][value=child]").check()
        await form.locator("button[type=submit]").click()
        await refusals.locator("li", has_text="出生年份：不能晚于现在").wait_for()
        assert no_english(await refusals.text_content())

        await form.locator("[name=birth_year]").fill("1980")
        await form.locator("button[type=submit]").click()
        await refusals.locator("li", has_text="儿童限未满 18 周岁").wait_for()
        assert no_english(await refusals.text_content())

        # A child under 14 registered without a guardian's consent.
        await form.locator("[name=birth_year]").fill(str(datetime.now().year - 8))
        await form.locator("[name=consent]").select_option("self")
        await form.locator("button[type=submit]").click()
        await refusals.locator("li", has_text="须取得监护人的同意").wait_for()
        await form.locator("[name=consent]").select_option("guardian")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已登记居民 张小明").wait_for()

        # A message is about the tab it was said on.
        await page.click(".tab[data-tab=needs]")
        await expect(page.locator("#message")).to_have_text("", timeout=WAIT_MS)

        row = page.locator("#needs-table tbody tr").first
        await row.locator("button", has_text="发布微心愿").click()
        wish = page.locator("#wish-form")
        await wish.locator("[name=title]").fill("尾号5678的老人要一台收音机")
        await wish.locator("[name=estimated_value_fen]").fill("100")
        await wish.locator("button[type=submit]").click()
        await wish.locator(".errors li", has_text="不能写居民的住址、电话").wait_for()
        await wish.locator("[name=title]").fill("一台收音机")
        await wish.locator("[name=estimated_value_fen]").fill("600")  # the cap is 500 元
        await wish.locator("button[type=submit]").click()
        await wish.locator(".errors li", has_text="最多 500.00 元").wait_for()
        assert no_english(await wish.locator(".errors").text_content())
        assert (await needs.get("/wishes")).json()["items"] == []
        assert unexpected(errors) == []


async def test_a_spot_check_names_the_visit_it_verifies_and_returns_to_the_file(
    workbench, needs, resident, surveyed, count_events
):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "high"), days_ago=5)
    [visited] = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"]
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        # The button that opened it gone with its list, the focus goes on from the heading.
        await expect(page.locator("#file h2")).to_be_focused(timeout=WAIT_MS)
        # 返回 from a visit started in the file goes back to the file.
        await page.click("#file-visit")
        await page.locator("#survey-name", has_text=RESIDENT["name"]).wait_for()
        await expect(page.locator("#survey h2")).to_be_focused(timeout=WAIT_MS)
        await page.click("#survey-back")
        await page.locator("#file").wait_for()
        assert await page.locator("#due").is_hidden()

        await page.click("#file-visit")
        form = page.locator("#survey-form")
        await expect(page.locator("#verifies")).to_be_hidden()
        await form.locator("[name=method]").select_option("spot_check")
        checked = form.locator("[name=verifies_survey_id]")
        await expect(checked.locator("option")).to_have_count(1, timeout=WAIT_MS)
        assert await checked.input_value() == visited["survey_id"]
        await expect(page.locator("#found")).to_be_hidden()  # a spot check finds no needs
        for dimension, level in (("physical", 2), ("psychological", 1), ("material", 3)):
            await form.locator(f"input[name=level-{dimension}][value='{level}']").check()
        await form.locator("input[name=level-spiritual][value='0']").check()

        # The time is required: cleared, it is refused, not taken as now.
        before = await count_events()
        await form.locator("[name=surveyed_at]").fill("")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="时间：必填").wait_for()
        assert await count_events() == before
        now = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=1)
        await form.locator("[name=surveyed_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))

        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="随机抽查记录").wait_for()
        await page.locator("#file").wait_for()  # back in the file it was started from
        visits = page.locator("#file-visits tbody tr")
        await expect(visits).to_have_count(2, timeout=WAIT_MS)
        assert "与原评估相符" in await visits.nth(0).text_content()
        # The assessment says each level once: 身体 2 中度, not 身体 2（2 中度）.
        assert "身体 2 中度" in await page.text_content("#file-assessment")
        checks = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"]
        spot = (await needs.get(f"/surveys/{checks[-1]['survey_id']}")).json()
        assert (spot["method"], spot["verifies_survey_id"]) == ("spot_check", visited["survey_id"])
        assert unexpected(errors) == []


async def test_the_spot_check_picker_marks_the_social_workers_own_visits(
    signed_in, needs, resident, levels, token_for
):
    someone = await resident()
    me = str(uuid4())
    as_me = await token_for(Role.social_worker, "王社工", person=me)
    as_colleague = await token_for(Role.social_worker, "李社工", person=str(uuid4()))
    visit = {"resident_id": someone, "dimensions": levels, "needs": []}
    earlier = (datetime.now(UTC) - timedelta(days=9)).isoformat()
    theirs = await needs.post(
        "/surveys",
        headers=as_colleague,
        json={**visit, "method": "home_visit", "surveyed_at": earlier},
    )
    mine = await needs.post("/surveys", headers=as_me, json={**visit, "method": "phone"})
    assert (theirs.status_code, mine.status_code) == (201, 201), theirs.text + mine.text
    theirs = theirs.json()["survey_id"]
    # The list names each visit's surveyor, as the office's tokens name them.
    visits = (await needs.get(f"/surveys?resident_id={someone}")).json()["items"]
    assert [v["surveyor"] for v in visits] == ["李社工", "王社工"]
    async with signed_in("/workbench", bare(as_me), phone=True) as (page, errors):
        await page.click(".tab[data-tab=roster]")
        row = page.locator(f"#roster-table tr[data-resident='{someone}']")
        await row.get_by_role("button", name="记录走访").click()
        form = page.locator("#survey-form")
        await form.locator("[name=method]").select_option("spot_check")
        choices = form.locator("[name=verifies_survey_id] option")
        await expect(choices).to_have_count(2, timeout=WAIT_MS)
        # The latest, their own, is shown but cannot be chosen: the other visit is.
        own = choices.nth(0)
        assert await own.get_attribute("value") == mine.json()["survey_id"]
        assert "您本人的走访" in await own.text_content()
        assert await own.is_disabled()
        assert await form.locator("[name=verifies_survey_id]").input_value() == theirs
        assert not await choices.nth(1).is_disabled()
        assert "· 李社工" in await choices.nth(1).text_content()
        # On a phone the picker, as wide as its longest choice, narrows to the form.
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert unexpected(errors) == []


async def test_a_volunteer_keeping_their_name_private_is_told_apart_by_their_number(
    workbench, needs, community, known_volunteer, wish_body
):
    await community()
    posted = await needs.post("/wishes", json=wish_body())
    wish_id = posted.json()["wish_id"]
    quiet = await known_volunteer(None)  # shows no name in public
    assert (
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": quiet})
    ).status_code == 200
    assert (await needs.post(f"/wishes/{wish_id}/fulfil", json={"hours": 1})).status_code == 200
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=wishes]")
        row = page.locator(f"#wishes-table tr[data-wish='{wish_id}']")
        await row.wait_for()
        assert f"未公开姓名的志愿者（编号 {quiet[:8]}）" in await row.text_content()
        assert unexpected(errors) == []


async def on_screen(page, button) -> bool:
    """Whether a button is within the phone's width, the page not scrolling sideways."""
    box = await button.bounding_box()
    wide = await page.evaluate("document.documentElement.scrollWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] >= wide


async def test_on_a_phone_the_lists_buttons_are_on_screen(
    workbench, needs, resident, surveyed, known_volunteer, wish_body
):
    someone = await resident()
    meals, _company = await surveyed(
        someone, ("meal-delivery", "material", "normal"), ("companionship", "spiritual", "high")
    )
    unreachable = await resident(name="李桂芬", id_number=None, phone=None, address=None)
    posted = await needs.post("/wishes", json=wish_body(community_id=None, need_id=meals))
    wish_id = posted.json()["wish_id"]
    claimant = {"claimant_id": await known_volunteer("小李")}
    assert (await needs.post(f"/wishes/{wish_id}/claim", json=claimant)).status_code == 200
    assert (await needs.post(f"/wishes/{wish_id}/fulfil", json={})).status_code == 200
    async with workbench(phone=True) as (page, errors):
        # Nothing on file is no cell at all, rather than its name with nothing after (电话：).
        due = page.locator(f"#due-table tr[data-resident='{unreachable}']")
        await due.wait_for()
        shown = await due.locator("td").evaluate_all(
            "tds => tds.filter(td => getComputedStyle(td).display !== 'none')"
            ".map(td => td.dataset.label ?? td.textContent)"
        )
        assert shown == ["姓名", "人群类别", "上次走访", "记录走访"]
        await page.click(".tab[data-tab=needs]")
        ending = page.locator("#needs-table tbody tr button", has_text="办结").first
        await ending.wait_for()
        assert await on_screen(page, ending)
        assert await on_screen(page, page.locator("#needs-table button", has_text="发布微心愿"))
        # Each cell says what it is, its column's name not being shown above it.
        urgency = page.locator("#needs-table tbody tr").first.locator("td").nth(3)
        shown = await urgency.evaluate("td => getComputedStyle(td, '::before').content")
        assert shown == '"紧急程度："'
        # A need's form opens above the list: the focus brings it into sight.
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await ending.click()
        heading = page.locator("#end-form h3")
        await expect(heading).to_be_focused(timeout=WAIT_MS)
        await expect(heading).to_be_in_viewport()
        await page.locator("#end-form .back").click()

        await page.click(".tab[data-tab=wishes]")
        confirm = page.locator(f"#wishes-table tr[data-wish='{wish_id}'] button")
        await confirm.wait_for()
        assert await on_screen(page, confirm)
        await confirm.click()
        question = page.locator("#confirm-form")
        submit = question.get_by_role("button", name="确认心愿已完成")
        await submit.wait_for()
        assert await on_screen(page, submit)
        assert "没有报服务时长，按 1 小时记为已核实的志愿服务时长" in (
            await question.locator(".consequence").text_content()
        )
        # Confirmed by someone else meanwhile: the refusal is said beside the question.
        assert (await needs.post(f"/wishes/{wish_id}/confirm", json={})).status_code == 200
        await submit.click()
        await question.locator(".errors li", has_text="已不在待确认中").wait_for()
        await confirm.wait_for(state="detached")
        assert unexpected(errors) == []


async def test_a_file_records_a_consent_given_since_and_registering_helps_with_the_id(
    workbench, needs, resident
):
    someone = await resident()  # registered without consent (暂未取得)
    async with workbench() as (page, errors):
        # Registering: without consent, the page warns; a valid ID number fills the birth year.
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await expect(page.locator("#no-consent")).to_be_visible()
        await form.locator("[name=consent]").select_option("self")
        await expect(page.locator("#no-consent")).to_be_hidden()
        await form.locator("[name=name]").fill(RESIDENT["name"])
        await form.locator("[name=birth_year]").fill("1950")
        await form.locator("[name=id_number]").fill(id_number("19490305"))
        await expect(form.locator("[name=birth_year]")).to_have_value("1949")
        await expect(page.locator("#birth-from-id")).to_be_visible()
        await form.locator("[name=id_number]").fill("")
        await form.locator("[name=phone]").fill(RESIDENT["phone"])
        await form.locator("input[name=groups][value=elderly]").check()
        # A namesake with the same phone: the record in the way can be opened from the refusal.
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="同名").wait_for()
        await form.get_by_role("button", name="打开该居民的档案").click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await expect(page.locator("#file-facts")).to_contain_text("暂未取得")

        # The consent given since is recorded in the file.
        consent = page.locator("#consent-form")
        await consent.locator("[name=purpose]").select_option("personal_data")
        await consent.locator("[name=given_by]").select_option("self")
        await consent.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已记录：本人同意保存个人信息").wait_for()
        await expect(page.locator("#file-facts")).to_contain_text("保存个人信息（本人")
        consents = (await needs.get(f"/residents/{someone}")).json()["consents"]
        assert [(c["purpose"], c["given_by"]) for c in consents] == [("personal_data", "self")]
        assert len((await needs.get("/residents")).json()["items"]) == 1

        # The record corrected from the file: what changed only, a cleared address removed.
        await page.click("#file-correct")
        fix = page.locator("#correct-form")
        await expect(fix.locator("[name=name]")).to_have_value(RESIDENT["name"])
        await fix.locator("[name=birth_year]").fill("1950")  # unlike the ID number's
        await fix.locator("button[type=submit]").click()
        await fix.locator(".errors li", has_text="与身份证号中的出生日期不符").wait_for()
        await fix.locator("[name=birth_year]").fill(str(RESIDENT["birth_year"]))
        await fix.locator("[name=phone]").fill("13900002222")
        await fix.locator("[name=address]").fill("")
        await fix.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已更正：电话、地址").wait_for()
        await expect(page.locator("#file-facts")).to_contain_text("13900002222")
        person = (await needs.get(f"/residents/{someone}")).json()["personal_data"]
        assert (person["phone"], person.get("address")) == ("13900002222", None)
        assert person["name"] == RESIDENT["name"]
        assert unexpected(errors) == []


async def test_the_roster_finds_a_resident_by_name_id_number_or_phone_in_any_community(
    workbench, needs, resident
):
    here = await resident()  # 王秀英 of 丰山社区, the community chosen at sign-in
    there = await resident(
        community_id="jiangbin", name="李建国", id_number=None, phone="13900001111"
    )
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=roster]")
        find = page.locator("#find-form")
        typed = find.locator("[name=find]")

        await find.locator("button[type=submit]").click()
        await find.locator(".errors li", has_text="请输入要查找的姓名、身份证号或电话").wait_for()

        # A phone typed with spaces finds a resident of another community, named with it.
        await typed.fill("139 0000 1111")
        await find.locator("button[type=submit]").click()
        found = page.locator("#found-table tbody tr")
        await expect(found).to_have_count(1, timeout=WAIT_MS)
        assert await found.get_attribute("data-resident") == there
        assert "江滨社区" in await found.text_content()

        # An ID number (its X typed small) and a name find the same resident.
        for what in (RESIDENT["id_number"].lower(), RESIDENT["name"]):
            await typed.fill(what)
            await find.locator("button[type=submit]").click()
            await page.locator(f"#found-table tr[data-resident='{here}']").wait_for()
            await expect(found).to_have_count(1, timeout=WAIT_MS)

        # The name opens the file, and back on the roster the results are still there.
        await found.get_by_role("button", name=RESIDENT["name"]).click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        await page.click("#file-back")
        await expect(page.locator(f"#found-table tr[data-resident='{here}']")).to_be_visible()

        # Nobody of that name: said so, and how to type it; a phone mistyped: said what is wrong.
        await typed.fill("王秀")
        await find.locator("button[type=submit]").click()
        await page.locator("#found-table tbody td", has_text="没有找到").wait_for()
        await typed.fill("1381234")
        await find.locator("button[type=submit]").click()
        await find.locator(".errors li", has_text="电话：").wait_for()
        assert await typed.get_attribute("aria-invalid") == "true"

        await page.click("#find-clear")
        await expect(page.locator("#found-table")).to_be_hidden()
        assert unexpected(errors) == []


async def test_a_needs_wish_is_taken_off_the_board_and_the_need_is_open_again(
    workbench, needs, resident, surveyed, known_volunteer, wish_body
):
    someone = await resident()
    meals, company = await surveyed(
        someone,
        ("meal-delivery", "material", "normal"),
        ("companionship", "spiritual", "normal"),
    )
    posted = []
    for need_id in (meals, company):
        answer = await needs.post("/wishes", json=wish_body(community_id=None, need_id=need_id))
        posted.append(answer.json()["wish_id"])
    claimant = {"claimant_id": await known_volunteer("小李")}
    assert (await needs.post(f"/wishes/{posted[0]}/claim", json=claimant)).status_code == 200
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=needs]")

        # The resident moved away: the claimed wish comes off the board, its need open again.
        row = page.locator(f"tr[data-need='{meals}']")
        await row.locator("button", has_text="撤下心愿").click()
        cancel = page.locator("#cancel-form")
        await expect(cancel.locator(".what")).to_have_text(f"{RESIDENT['name']} · 送餐")
        await cancel.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已撤下微心愿「一台收音机」").wait_for()
        await row.locator("td", has_text="待回应").wait_for()
        await expect(row.locator("button", has_text="办结")).to_be_visible()
        assert (await needs.get(f"/wishes/{posted[0]}")).json()["state"] == "cancelled"
        assert (await needs.get(f"/needs/{meals}")).json()["state"] == "open"

        # A wish done meanwhile is not taken down: the page says where to confirm it.
        assert (await needs.post(f"/wishes/{posted[1]}/claim", json=claimant)).status_code == 200
        assert (await needs.post(f"/wishes/{posted[1]}/fulfil", json={})).status_code == 200
        await page.locator(f"tr[data-need='{company}'] button", has_text="撤下心愿").click()
        await cancel.locator("button[type=submit]").click()
        await cancel.locator(".errors li", has_text="确认心愿").wait_for()
        assert (await needs.get(f"/wishes/{posted[1]}")).json()["state"] == "fulfilled"
        await cancel.locator(".back").click()
        await expect(cancel).to_be_hidden()
        assert unexpected(errors) == []


async def test_a_forms_errors_come_in_its_fields_order_and_an_empty_field_is_required(
    workbench, needs, resident, surveyed
):
    someone = await resident()
    await surveyed(someone, ("meal-delivery", "material", "normal"))
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=phone]").fill("12345")
        await form.locator("button[type=submit]").click()
        said = form.locator(".errors li")
        await said.first.wait_for()
        assert [text.split("：")[0] for text in await said.all_text_contents()] == [
            "姓名",
            "出生年份",
            "电话",
            "人群类别",
        ]
        assert await said.first.text_content() == "姓名：必填"

        await page.click(".tab[data-tab=needs]")
        await page.locator("#needs-table button", has_text="发布微心愿").click()
        wish = page.locator("#wish-form")
        await wish.locator("[name=estimated_value_fen]").fill("10")
        await wish.locator("button[type=submit]").click()
        await wish.locator(".errors li", has_text="标题：必填").wait_for()

        await page.click(".tab[data-tab=roster]")
        await page.get_by_role("button", name=RESIDENT["name"]).click()
        await page.click("#file-correct")
        fix = page.locator("#correct-form")
        await fix.locator("[name=name]").fill("")
        await fix.locator("button[type=submit]").click()
        await fix.locator(".errors li", has_text="姓名：必填").wait_for()
        assert unexpected(errors) == []


async def test_on_a_phone_each_level_of_the_assessment_reads_on_one_line(
    workbench, needs, resident
):
    await resident()
    async with workbench(phone=True) as (page, errors):
        await page.locator("#due-table button", has_text="记录走访").click()
        levels = page.locator("#dimensions label")
        await expect(levels).to_have_count(16, timeout=WAIT_MS)
        # The lines each level's words take (中度 broken under 中 would be two or three).
        lines = await levels.evaluate_all(
            """labels => labels.map(label => {
              const words = document.createRange();
              words.selectNodeContents(label.lastChild);
              return new Set([...words.getClientRects()].map(r => Math.round(r.top))).size;
            })"""
        )
        assert set(lines) == {1}
        # And a dimension's four levels on one line, none left alone under the next dimension.
        tops = await page.locator("#dimensions .dimension").evaluate_all(
            "rows => rows.map(row => new Set([...row.querySelectorAll('label')]"
            ".map(label => Math.round(label.getBoundingClientRect().top))).size)"
        )
        assert tops == [1, 1, 1, 1]
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert unexpected(errors) == []


async def test_a_resident_just_registered_has_their_file_a_click_away(workbench, needs, community):
    await community()
    async with workbench() as (page, errors):
        await page.click(".tab[data-tab=register]")
        form = page.locator("#register-form")
        await form.locator("[name=name]").fill("李建国")
        await form.locator("[name=birth_year]").fill("1950")
        await form.locator("input[name=groups][value=elderly]").check()
        await form.locator("button[type=submit]").click()
        message = page.locator("#message", has_text="已登记居民 李建国")
        await message.get_by_role("button", name="打开档案").click()
        await page.locator("#file-name", has_text="李建国").wait_for()
        await expect(page.locator("#file-facts")).to_contain_text("暂未取得")
        [registered] = (await needs.get("/residents")).json()["items"]
        await page.click("#file-visit")
        await page.locator("#survey-name", has_text="李建国").wait_for()
        await page.click("#survey-back")  # back to the file, then to the list it came from
        await page.click("#file-back")
        await page.locator(f"#due-table tr[data-resident='{registered['resident_id']}']").wait_for()
        assert unexpected(errors) == []

"""The applicants' page (项目申报与执行) in a real headless Chromium: a team's coordinator signs
in with their own token, applies to an open round with budget lines, is told in Chinese when
the team has applied already, withdraws an application, reports a granted project's expenses
with the SHA-256 of each receipt computed in the browser — with and without crypto.subtle —
and completes it with its outcomes; what the page sends is what the API records."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from importlib.resources import files
from uuid import uuid4

import httpx
import pytest
from playwright.async_api import expect

from wushe_events.catalogue.base import SLUG_PATTERN
from wushe_funds.api.applicant_page import labels
from wushe_funds.commands.grants import ReportExpense
from wushe_service.auth import Role
from wushe_service.browser_testing import (
    WAIT_MS,
    bare,
    errors_of,
    sign_in,
    unexpected,
)

from .conftest import PHONE, refused_at_sign_in

STATIC = files("wushe_funds").joinpath("workbench", "static")
RECEIPT, OTHER_RECEIPT = b"%PDF-1.4 fapiao 0001", b"\xff\xd8\xff receipt photo " * 40


async def test_a_coordinator_applies_withdraws_and_runs_a_granted_project(
    signed_in, funds, fund, grant_round, known_team, coordinator, submitted, approved_grant
):
    token, (sunshine, elders) = await coordinator("阳光儿童服务社", "银龄服务队")
    await known_team("别人的队伍", coordinators=[uuid4()])
    fund_id = await fund()
    round_id = await grant_round(fund_id)

    async with signed_in("/grants", token, viewport=PHONE) as (page, errors):
        card = page.locator(f"#rounds-list li[data-round='{round_id}']")
        await card.wait_for()
        assert await page.text_content("#who") == "李协调 · 志愿服务协调员"
        assert await page.locator("#team option").all_text_contents() in (
            ["阳光儿童服务社", "银龄服务队"],
            ["银龄服务队", "阳光儿童服务社"],
        )
        await page.select_option("#team", sunshine)
        await page.locator("#rounds-list:not([aria-busy])").wait_for()
        figures = await card.locator(".figures").text_content()
        assert "预算 5000.00 元" in figures
        assert "单个项目上限 3000.00 元" in figures
        assert "主题：elderly-care、children" in figures

        # Budget lines that do not add up are said beside them, and nothing is sent.
        await card.get_by_role("button", name="申报项目").click()
        form = card.locator("form.apply")
        await form.locator("[name=title]").fill("儿童课后托管")
        await form.locator("[name=theme]").select_option("children")
        assert await form.locator("[name=community_id] option").all_text_contents() == ["丰山社区"]
        await form.locator("[name=requested_fen]").fill("2000.50")
        await form.locator("[name=summary]").fill("放学后为双职工家庭的孩子提供托管")
        await form.locator(".budget-line [name=item]").fill("活动物资")
        await form.locator(".budget-line [name=amount_fen]").fill("1500.50")
        await form.get_by_role("button", name="添加一行预算").click()
        second = form.locator(".budget-line").nth(1)
        await second.locator("[name=item]").fill("场地租用")
        await second.locator("[name=amount_fen]").fill("400")
        await form.locator("button[type=submit]").click()
        await form.locator(
            ".errors li", has_text="合计 1900.50 元，与申请金额 2000.50 元不符"
        ).wait_for()
        assert (await funds.get(f"/teams/{sunshine}/applications")).json()["items"] == []

        await second.locator("[name=amount_fen]").fill("500")
        await form.locator("button[type=submit]").click()
        await page.locator(
            "#message", has_text="已为「阳光儿童服务社」申报「儿童课后托管」"
        ).wait_for()
        await card.locator(".mine", has_text="本团队已申报：「儿童课后托管」（已申请）").wait_for()
        [listed] = (await funds.get(f"/teams/{sunshine}/applications")).json()["items"]
        recorded = (await funds.get(f"/applications/{listed['application_id']}")).json()
        assert {k: recorded[k] for k in ("title", "theme", "community_id", "requested_fen")} == {
            "title": "儿童课后托管",
            "theme": "children",
            "community_id": "fengshan",
            "requested_fen": 200_050,
        }
        assert recorded["budget_lines"] == [
            {"item": "活动物资", "amount_fen": 150_050},
            {"item": "场地租用", "amount_fen": 50_000},
        ]
        assert recorded["summary"] == "放学后为双职工家庭的孩子提供托管"

        # The other team's form is open when a fellow coordinator applies for it meanwhile:
        # the second application of the team to the round is refused, in Chinese.
        await page.select_option("#team", elders)
        card = page.locator(f"#rounds-list li[data-round='{round_id}']")
        await card.get_by_role("button", name="申报项目").click()
        form = card.locator("form.apply")
        await form.locator("[name=title]").fill("银龄互助小组")
        await form.locator("[name=requested_fen]").fill("1000")
        await form.locator(".budget-line [name=item]").fill("活动物资")
        await form.locator(".budget-line [name=amount_fen]").fill("1000")
        elsewhere = await submitted(round_id, "银龄互助小组", 100_000, team_id=elders)
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="每个团队在每个批次只能申报一个项目").wait_for()

        # Withdrawn before its review, from the team's projects; the round takes it again.
        await page.click(".tab[data-tab=projects]")
        await page.select_option("#team", sunshine)
        await page.select_option("#team", elders)
        project = page.locator(f"#projects-list li[data-application='{elsewhere}']")
        # Asked first, saying what withdrawing means: nothing is sent on the first click.
        await project.get_by_role("button", name="撤回申请").click()
        asking = project.locator("form.withdraw")
        await asking.locator(
            ".consequence", has_text="撤回后，「银龄互助小组」退出这个批次：不再评审"
        ).wait_for()
        assert "本团队可以重新申报这个批次" in await asking.text_content()
        await expect(asking.get_by_role("button", name="确认撤回")).to_be_focused(timeout=WAIT_MS)
        await asking.get_by_role("button", name="不撤回").click()
        await expect(asking).to_be_hidden(timeout=WAIT_MS)
        withdrawn = await funds.get(f"/applications/{elsewhere}")
        assert withdrawn.json()["state"] == "submitted"
        await project.get_by_role("button", name="撤回申请").click()
        await asking.get_by_role("button", name="确认撤回").click()
        await page.locator("#message", has_text="已撤回「银龄互助小组」").wait_for()
        message = page.locator("#message")
        await project.locator(".state", has_text="已撤回").wait_for()
        withdrawn = await funds.get(f"/applications/{elsewhere}")
        assert withdrawn.json()["state"] == "withdrawn"
        assert await project.get_by_role("button", name="撤回申请").count() == 0
        await page.click(".tab[data-tab=rounds]")
        await expect(message).to_have_text("", timeout=WAIT_MS)  # said of the other tab
        await card.get_by_role("button", name="申报项目").wait_for()

        # A granted project of the team, with a first tranche paid.
        granted = await approved_grant(
            await grant_round(fund_id), 150_000, "儿童课后托管（二期）", team_id=sunshine
        )
        paid = await funds.post(
            f"/applications/{granted}/disbursements", json={"amount_fen": 100_000}
        )
        assert paid.json()["paid"] is True, paid.text
        await page.click(".tab[data-tab=projects]")
        await page.select_option("#team", sunshine)
        project = page.locator(f"#projects-list li[data-application='{granted}']")
        await project.locator(".figures", has_text="已拨付 1000.00 元").wait_for()
        assert await project.locator("a.disclosure").get_attribute("href") == (
            f"/public/applications/{granted}/disclosure"
        )

        # An expense with its receipt, hashed by the browser's own SHA-256.
        await project.get_by_role("button", name="登记支出").click()
        expense = project.locator("form.expense")
        await expense.locator("[name=amount_fen]").fill("600")
        await expense.locator("[name=receipt]").set_input_files(
            files=[{"name": "fapiao.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}]
        )
        await expense.locator(
            ".fingerprint", has_text=hashlib.sha256(RECEIPT).hexdigest()
        ).wait_for()
        await expense.locator("button[type=submit]").click()
        await page.locator("#message", has_text="登记支出 600.00 元（物资）").wait_for()
        await project.locator(".figures", has_text="已登记支出 600.00 元").wait_for()

        # Not offered while part of what was paid has no expense: the card says how far short.
        await project.locator(
            ".not-yet", has_text="已拨付 1000.00 元，已登记支出 600.00 元，还有 400.00 元未登记支出"
        ).wait_for()
        assert await project.get_by_role("button", name="结项").count() == 0

        # On an office's plain-http address there is no crypto.subtle: the vendored one hashes.
        await page.evaluate("Object.defineProperty(crypto, 'subtle', { value: undefined })")
        assert await page.evaluate("crypto.subtle === undefined")
        await project.get_by_role("button", name="登记支出").click()
        expense = project.locator("form.expense")
        await expense.locator("[name=amount_fen]").fill("400")
        await expense.locator("[name=category]").select_option("venue")
        # A receipt claimed once is refused a second time.
        receipt = expense.locator("[name=receipt]")
        await receipt.set_input_files(
            files=[{"name": "again.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}]
        )
        await expense.locator("button[type=submit]").click()
        await expense.locator(".errors li", has_text="这张收据已经登记过一笔支出").wait_for()
        # The first expense's success is no longer said above the refusal.
        await expect(message).to_have_text("", timeout=WAIT_MS)
        await receipt.set_input_files(
            files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": OTHER_RECEIPT}]
        )
        await expense.locator("button[type=submit]").click()
        await page.locator("#message", has_text="登记支出 400.00 元（场地）").wait_for()
        disclosed = (await funds.get(f"/public/applications/{granted}/disclosure")).json()
        for spent in disclosed["expenses"]:
            del spent["reported_at"]
        assert disclosed["expenses"] == [
            {
                "category": "materials",
                "amount_fen": 60_000,
                "receipt_sha256": hashlib.sha256(RECEIPT).hexdigest(),
            },
            {
                "category": "venue",
                "amount_fen": 40_000,
                "receipt_sha256": hashlib.sha256(OTHER_RECEIPT).hexdigest(),
            },
        ]

        await project.get_by_role("button", name="结项").click()
        completing = project.locator("form.complete")
        assert await project.locator(".not-yet").count() == 0
        await completing.locator(
            ".meta", has_text="批准而未拨付的 500.00 元退回本批次预算"
        ).wait_for()
        await completing.locator("[name=beneficiaries]").fill("120")
        await completing.locator("[name=activities]").fill("12")
        await completing.locator("button[type=submit]").click()
        await page.locator("#message", has_text="「儿童课后托管（二期）」已结项").wait_for()
        await project.locator(".state", has_text="已结项").wait_for()
        assert await project.locator("form").count() == 0
        completed = (await funds.get(f"/public/applications/{granted}/disclosure")).json()
        assert completed["outcomes"] == {"beneficiaries": 120, "activities": 12}
        assert (await funds.get(f"/applications/{granted}")).json()["state"] == "completed"
        assert unexpected(errors) == []


async def test_the_page_is_for_a_coordinator_who_is_named(tab, served, token_for):
    page_name = "此令牌的角色（{}）不能使用项目申报与执行页面"
    refusals = (
        ("not-a-token", "令牌无效"),
        (await token_for(Role.fund_manager, "王会计"), page_name.format("基金管理员")),
        (await token_for(Role.admin, "管理员"), page_name.format("管理员")),
        (await token_for(Role.reviewer, "陈教授", person=uuid4()), page_name.format("评审")),
        (await token_for(Role.coordinator, "没有指明协调员"), "--person"),
    )
    named = await token_for(Role.coordinator, "李协调", person=uuid4())
    async with tab() as page:
        errors = errors_of(page)
        await refused_at_sign_in(page, f"{served}/grants", refusals)

        # A coordinator of no team yet is told so.
        await sign_in(page, f"{served}/grants", bare(named))
        nothing = page.locator("#message", has_text="您目前不是本中心任何团队的协调员")
        await nothing.wait_for()
        await expect(page.locator("#work h2:visible").first).to_be_focused(timeout=WAIT_MS)
        await expect(page.locator("#team option")).to_have_count(0, timeout=WAIT_MS)
        # A reload keeps the session (the tab's); signing out forgets the token.
        await page.reload()
        await nothing.wait_for()
        assert await page.text_content("#who") == "李协调 · 志愿服务协调员"
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(
    served, fund, grant_round, submitted
):
    await submitted(await grant_round(await fund()), "银龄互助小组")
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/grants")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        served_assets = {asset: (await client.get(asset)).status_code for asset in assets}
        script = await client.get("/static/workbench/applicant.js")
        imported = re.findall(r'from "(/static/[^"]+)"', script.text)
        served_imports = {path: (await client.get(path)).status_code for path in imported}
        vendored = await client.get("/static/workbench/js-sha256.min.js")
    assert page.status_code == 200
    assert "/static/workbench/applicant.js" in assets
    assert served_assets == dict.fromkeys(assets, 200)
    assert len(assets) == 4  # its script and style, the common and the cards styles
    assert served_imports == dict.fromkeys(imported, 200)
    assert "/static/common/signin.js" in imported  # and each one it imports is served
    # A module script is run only when served as JavaScript.
    assert "javascript" in vendored.headers["content-type"]
    assert "@license MIT" in vendored.text  # its licence header kept
    assert "项目申报与执行" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "style-src 'self';" in policy  # no inline style either
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "银龄互助小组" not in page.text  # everything comes from the API, with a token
    assert '"venue":"场地"' in page.text  # the words for the codes, inline
    assert "innerHTML" not in script.text  # text only: a title can never run as code


def test_every_expense_category_the_page_offers_is_one_the_api_takes():
    words = labels()
    for kind, table in words.items():
        assert all(table.values()), kind
    for code in words["expense_categories"]:
        assert re.fullmatch(SLUG_PATTERN, code)
        expense = ReportExpense(amount_fen=1, category=code, receipt_sha256="ab" * 32)
        assert expense.category == code


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 41])
def test_the_vendored_sha256_digests_as_hashlib_does(tmp_path, data):
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on this machine to run the vendored module")
    module = tmp_path / "sha256.mjs"  # .mjs: node runs it as the module it is
    module.write_text(STATIC.joinpath("js-sha256.min.js").read_text("utf-8"), "utf-8")
    program = (
        f'import {{ sha256 }} from "{module.as_uri()}";\n'
        f'process.stdout.write(sha256(new Uint8Array(Buffer.from("{data.hex()}", "hex"))));'
    )
    ran = subprocess.run(
        [node, "--input-type=module"], input=program, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == hashlib.sha256(data).hexdigest()


async def test_a_round_of_an_office_wide_fund_offers_the_offices_communities(
    signed_in, funds, grant_round, coordinator
):
    token, _ = await coordinator("阳光儿童服务社")
    opened_fund = await funds.post("/funds", json={"name": "余姚市社区公益创投基金"})
    assert opened_fund.status_code == 201, opened_fund.text
    round_id = await grant_round(opened_fund.json()["fund_id"])

    async with signed_in("/grants", token) as (page, errors):
        card = page.locator(f"#rounds-list li[data-round='{round_id}']")
        await card.get_by_role("button", name="申报项目").click()
        choices = card.locator("form.apply [name=community_id] option")
        await expect(choices).to_have_count(2, timeout=WAIT_MS)
        assert await choices.all_text_contents() == ["凤山街道 丰山社区", "阳明街道 江滨社区"]
        assert unexpected(errors) == []


async def test_budget_lines_are_added_and_removed_from_the_keyboard(
    signed_in, fund, grant_round, coordinator
):
    token, _ = await coordinator("阳光儿童服务社")
    round_id = await grant_round(await fund())
    async with signed_in("/grants", token) as (page, errors):
        card = page.locator(f"#rounds-list li[data-round='{round_id}']")
        await card.get_by_role("button", name="申报项目").click()
        form = card.locator("form.apply")
        lines = form.locator(".budget-line")
        await lines.locator("[name=item]").fill("活动物资")

        # 添加一行预算 takes the typing to the new line's 用途.
        await form.get_by_role("button", name="添加一行预算").press("Enter")
        await expect(lines).to_have_count(2, timeout=WAIT_MS)
        await expect(lines.nth(1).locator("[name=item]")).to_be_focused(timeout=WAIT_MS)
        await page.keyboard.type("场地租用")
        await form.get_by_role("button", name="添加一行预算").press("Enter")
        await page.keyboard.type("茶点")

        # 删除 leaves the focus on the line taking its place, else the one before it.
        await lines.nth(1).get_by_role("button", name="删除").press("Enter")
        await expect(lines).to_have_count(2, timeout=WAIT_MS)
        assert await lines.locator("[name=item]").evaluate_all("l => l.map(n => n.value)") == [
            "活动物资",
            "茶点",
        ]
        await expect(lines.nth(1).locator("[name=item]")).to_be_focused(timeout=WAIT_MS)
        await lines.nth(1).get_by_role("button", name="删除").press("Enter")
        await expect(lines.nth(0).locator("[name=item]")).to_be_focused(timeout=WAIT_MS)

        # The only line is emptied rather than left as it was.
        await lines.locator("[name=amount_fen]").fill("300")
        await lines.get_by_role("button", name="删除").press("Enter")
        await expect(lines).to_have_count(1, timeout=WAIT_MS)
        await expect(lines.locator("[name=item]")).to_have_value("", timeout=WAIT_MS)
        await expect(lines.locator("[name=amount_fen]")).to_have_value("", timeout=WAIT_MS)
        await expect(lines.locator("[name=item]")).to_be_focused(timeout=WAIT_MS)
        assert unexpected(errors) == []


async def test_the_team_reads_what_it_applied_with(
    signed_in, fund, grant_round, coordinator, submitted
):
    token, [team] = await coordinator("阳光儿童服务社")
    await submitted(
        await grant_round(await fund()),
        "儿童课后托管",
        200_050,
        team_id=team,
        theme="children",
        summary="放学后为双职工家庭的孩子提供托管",
        budget_lines=[
            {"item": "活动物资", "amount_fen": 150_050},
            {"item": "场地租用", "amount_fen": 50_000},
        ],
    )
    async with signed_in("/grants", token, viewport=PHONE) as (page, errors):
        await page.click("button.tab[data-tab=projects]")
        card = page.locator("#projects-list li", has_text="儿童课后托管")
        opening = card.locator("details.content summary", has_text="申报内容")
        await opening.focus()
        await page.keyboard.press("Enter")
        rows = card.locator("table.budget tbody tr")
        await expect(rows).to_have_count(2, timeout=WAIT_MS)
        assert await rows.nth(0).locator("td").all_text_contents() == ["活动物资", "1500.50"]
        assert await rows.nth(1).locator("td").all_text_contents() == ["场地租用", "500.00"]
        total = card.locator("table.budget tfoot th")
        assert await total.all_text_contents() == ["合计", "2000.50"]
        assert await card.locator(".summary").text_content() == "放学后为双职工家庭的孩子提供托管"
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        assert unexpected(errors) == []


async def test_withdrawing_from_a_round_closed_says_there_is_no_applying_again(
    signed_in, funds, fund, grant_round, coordinator, submitted
):
    token, [team] = await coordinator("阳光儿童服务社")
    round_id = await grant_round(await fund())
    application = await submitted(round_id, "儿童课后托管", team_id=team)
    closed = await funds.post(f"/rounds/{round_id}/close", json={"reason": "enough-applications"})
    assert closed.status_code == 200, closed.text
    async with signed_in("/grants", token) as (page, errors):
        await page.click("button.tab[data-tab=projects]")
        card = page.locator(f"#projects-list li[data-application='{application}']")
        await card.get_by_role("button", name="撤回申请").click()
        consequence = card.locator("form.withdraw .consequence")
        await consequence.wait_for()
        assert "这个批次已截止申报，撤回后不能再申报。" in await consequence.text_content()
        assert "可以重新申报" not in await consequence.text_content()
        await card.get_by_role("button", name="确认撤回").click()
        await card.locator(".state", has_text="已撤回").wait_for()
        assert (await funds.get(f"/applications/{application}")).json()["state"] == "withdrawn"
        assert unexpected(errors) == []

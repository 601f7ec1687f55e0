"""The reviewers' page (项目评审) in a real headless Chromium: an expert reviewer signs in with
their own token, reads a round's applications awaiting reviews, scores one on each criterion
with comments, is told in Chinese that a member of the applying team may not score its
project, and recuses from it; what the page sends is what the API records."""

from __future__ import annotations

import re
from uuid import uuid4

import httpx
import pytest
from playwright.async_api import expect

from wushe_events.catalogue.base import SLUG_PATTERN
from wushe_funds.api.review_page import labels
from wushe_funds.commands.grants import Recuse
from wushe_service.auth import Role
from wushe_service.browser_testing import (
    WAIT_MS,
    bare,
    errors_of,
    sign_in,
    unexpected,
)

from .conftest import PHONE, refused_at_sign_in


@pytest.fixture
def apply(submitted, known_team):
    """An application of 2000 yuan in two budget lines, of a new team of that name (with those
    members), passed its eligibility check unless told: its id."""

    async def make(round_id: str, team: str, title: str, members=(), checked=True) -> str:
        return await submitted(
            round_id,
            title,
            team_id=await known_team(team, members=members),
            checked=checked,
            budget_lines=[
                {"item": "活动物资", "amount_fen": 150_000},
                {"item": "场地租用", "amount_fen": 50_000},
            ],
        )

    return make


async def test_a_reviewer_scores_one_application_and_recuses_from_their_own_teams(
    signed_in, funds, fund, grant_round, apply, token_for
):
    reviewer = uuid4()
    round_id = await grant_round(await fund())
    elders = await apply(round_id, "银龄服务队", "银龄互助小组")
    children = await apply(round_id, "江滨助学社", "儿童课后托管", members=[reviewer])
    await apply(round_id, "未审查的队伍", "尚未审查的项目", checked=False)
    token = bare(await token_for(Role.reviewer, "陈教授", person=reviewer))

    async with signed_in("/review", token, viewport=PHONE) as (page, errors):
        cards = page.locator("#applications-list li")
        # Only what awaits reviews: the application not yet checked is not listed.
        await expect(cards).to_have_count(2, timeout=WAIT_MS)
        assert await page.text_content("#who") == "陈教授 · 评审"
        await page.locator("#round-info", has_text="评分项：需求程度、可行性").wait_for()
        card = page.locator(f"li[data-application='{elders}']")
        assert await card.locator("h3").text_content() == "银龄互助小组"
        assert await card.locator(".team").text_content() == "银龄服务队 · 主题：elderly-care"
        assert await card.locator(".summary").text_content() == "为独居老人组织每周互助活动"
        budget = card.locator("table.budget")
        assert "活动物资1500.00" in await budget.text_content()
        assert await budget.locator("tr.requested").text_content() == "申请金额2000.00"
        assert await card.locator(".state").text_content() == "待评审"

        # A score out of range is said beside the form, and nothing is sent.
        await card.get_by_role("button", name="评分").click()
        form = card.locator("form.score")
        await form.locator("[name=score-need]").fill("101")
        await form.locator("[name=score-feasibility]").fill("75")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="需求程度：请填写 0 到 100 之间的整数").wait_for()
        assert (await funds.get(f"/applications/{elders}")).json()["reviews"] == 0

        await form.locator("[name=score-need]").fill("88")
        await form.locator("[name=comments]").fill("需求明确，预算合理")
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已提交对「银龄互助小组」的评分").wait_for()
        await card.locator(".state", has_text="已评审").wait_for()
        await card.locator(".mine", has_text="我的评分：需求程度 88，可行性 75").wait_for()
        assert await card.locator("form").count() == 0
        recorded = (await funds.get(f"/applications/{elders}")).json()
        assert recorded["reviewers"] == [
            {
                "reviewer_id": str(reviewer),
                "reviewer_name": "陈教授",  # what their token calls them
                "scores": {"need": 88, "feasibility": 75},
                "score": 82,
                "mean_score": 81.5,
                "comments": "需求明确，预算合理",
            }
        ]

        # A member of the applying team may not score it: the API's rule, in Chinese.
        own = page.locator(f"li[data-application='{children}']")
        await own.get_by_role("button", name="评分").click()
        scoring = own.locator("form.score")
        await scoring.locator("[name=score-need]").fill("90")
        await scoring.locator("[name=score-feasibility]").fill("90")
        await scoring.locator("button[type=submit]").click()
        await scoring.locator(".errors li", has_text="您是申报团队的成员").wait_for()
        # The review's success is no longer said above the refusal.
        await expect(page.locator("#message")).to_have_text("", timeout=WAIT_MS)
        assert (await funds.get(f"/applications/{children}")).json()["reviews"] == 0

        # So they step aside, saying why.
        await own.get_by_role("button", name="回避").click()
        recusing = own.locator("form.recuse")
        assert await scoring.is_hidden()
        await recusing.locator("[name=reason]").select_option("team-member")
        await recusing.locator("button[type=submit]").click()
        await page.locator(
            "#message", has_text="已回避「儿童课后托管」（本人是申报团队成员）"
        ).wait_for()
        await own.locator(".state", has_text="已回避").wait_for()
        await own.locator(".mine", has_text="我已回避：本人是申报团队成员").wait_for()
        stepped_aside = (await funds.get(f"/applications/{children}")).json()["recusals"]
        assert stepped_aside == [
            {"reviewer_id": str(reviewer), "reviewer_name": "陈教授", "reason": "team-member"}
        ]
        assert unexpected(errors) == []


async def test_the_page_is_for_a_reviewer_who_is_named(tab, served, token_for):
    refusals = (
        ("not-a-token", "令牌无效"),
        (
            await token_for(Role.fund_manager, "王会计"),
            "此令牌的角色（基金管理员）不能使用项目评审页面",
        ),
        (await token_for(Role.auditor, "审计"), "此令牌的角色（审计）不能使用项目评审页面"),
        (await token_for(Role.reviewer, "没有指明评审专家"), "--person"),
    )
    named = await token_for(Role.reviewer, "陈教授", person=uuid4())
    async with tab() as page:
        errors = errors_of(page)
        await refused_at_sign_in(page, f"{served}/review", refusals)

        await sign_in(page, f"{served}/review", bare(named))
        empty = page.locator("#applications-list li.empty", has_text="本中心还没有微创投轮次")
        await empty.wait_for()
        # A reload keeps the session (the tab's); signing out forgets the token.
        await page.reload()
        await empty.wait_for()
        assert await page.text_content("#who") == "陈教授 · 评审"
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(
    served, fund, grant_round, apply
):
    await apply(await grant_round(await fund()), "银龄服务队", "银龄互助小组")
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/review")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        served_assets = {asset: (await client.get(asset)).status_code for asset in assets}
        script = await client.get("/static/workbench/review.js")
        imported = re.findall(r'from "(/static/[^"]+)"', script.text)
        served_imports = {path: (await client.get(path)).status_code for path in imported}
    assert page.status_code == 200
    assert "/static/workbench/review.js" in assets
    assert served_assets == dict.fromkeys(assets, 200)
    assert len(assets) == 4  # its script and style, the common and the cards styles
    assert served_imports == dict.fromkeys(imported, 200)
    assert "/static/common/signin.js" in imported  # and each one it imports is served
    assert "项目评审" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self';" in policy  # no inline style either
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "银龄互助小组" not in page.text  # everything comes from the API, with a token
    assert '"feasibility":"可行性"' in page.text  # the words for the codes, inline
    assert "innerHTML" not in script.text  # text only: a title can never run as code


def test_every_recusal_the_page_offers_is_a_reason_the_api_takes():
    words = labels()
    for kind, table in words.items():
        assert all(table.values()), kind
    for code in words["recusals"]:
        assert re.fullmatch(SLUG_PATTERN, code)
        assert Recuse(reviewer_id=uuid4(), reason=code).reason == code

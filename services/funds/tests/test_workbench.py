"""The fund managers' workbench (基金工作台) in a real headless Chromium: a fund manager signs
in with their token, records a donation and refunds part of it, checks, approves and rejects
applications, asks for a tranche above the threshold that a second fund manager approves, and
what the page sends is what the API records."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
from playwright.async_api import expect

from wushe_events.catalogue.base import SLUG_PATTERN
from wushe_events.catalogue.funds import DonorKind
from wushe_funds.api.workbench import labels
from wushe_funds.commands.grants import OpenRound
from wushe_funds.domain.application import State
from wushe_service.auth import Role
from wushe_service.browser_testing import (
    WAIT_MS,
    bare,
    errors_of,
    sign_in,
    unexpected,
)

from .conftest import PHONE, THRESHOLD, refused_at_sign_in


async def test_a_fund_manager_records_a_donation_and_refunds_part_of_it(
    signed_in, funds, fund, token_for
):
    fund_id = await fund()  # 10000.00 yuan given by the county
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        balance = row.locator("td").nth(2)
        await expect(balance).to_have_text("10000.00", timeout=WAIT_MS)
        assert "丰山社区慈善基金" in await row.text_content()
        assert "丰山社区" in await row.locator("td").nth(1).text_content()
        assert await page.text_content("#who") == "王会计 · 基金管理员"
        ledger = row.locator("a", has_text="收支公示")
        assert await ledger.get_attribute("href") == f"/public/funds/{fund_id}/ledger?format=html"
        verify = row.locator("a", has_text="核验")
        assert await verify.get_attribute("href") == f"/public/funds/{fund_id}/ledger/verify"

        # Three decimals are no amount of yuan: said beside it, nothing sent.
        await row.locator("button", has_text="登记捐赠").click()
        form = page.locator("#donation-form")
        await form.locator(".what", has_text="丰山社区慈善基金").wait_for()
        await form.locator("[name=amount_fen]").fill("12.345")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="金额：请填写以元为单位的金额").wait_for()
        assert await form.locator("[name=amount_fen]").get_attribute("aria-invalid") == "true"

        # A receipt number of other characters: the API's pattern, in the desk's words.
        await form.locator("[name=amount_fen]").fill("50")
        await form.locator("[name=receipt_number]").fill("收据 一")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="收据号：只能用字母、数字和连字符").wait_for()
        assert await form.locator("[name=receipt_number]").get_attribute("aria-invalid") == "true"

        # 1234.29 yuan is 123429 fen exactly, from a shop that consents to be named.
        await form.locator("[name=amount_fen]").fill("1,234.29")
        await form.locator("[name=donor_kind]").select_option("enterprise")
        # WeChat Pay once, though older donations may carry a second code for it (wechat).
        assert await form.locator("[name=channel] option", has_text="微信").count() == 1
        await form.locator("[name=channel]").select_option("wechat-pay")
        await form.locator("[name=receipt_number]").fill("FS-2026-0001")
        await form.locator("[name=donor_name]").fill("江滨超市")
        await form.locator("[name=publish_donor_name]").check()
        await form.locator("button[type=submit]").click()
        said = "已登记 丰山社区慈善基金 收到捐赠 1234.29 元"
        await page.locator("#message", has_text=said).wait_for()
        await expect(balance).to_have_text("11234.29", timeout=WAIT_MS)
        listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
        given = listed[-1]
        assert (given["amount_fen"], given["donor_kind"], given["channel"]) == (
            123_429,
            "enterprise",
            "wechat-pay",
        )
        assert (given["donor_display"], given["receipt_number"]) == ("江滨超市", "FS-2026-0001")

        # The same receipt number again records nothing twice: the API says so.
        await row.locator("button", has_text="登记捐赠").click()
        await form.locator("[name=amount_fen]").fill("50")
        await form.locator("[name=receipt_number]").fill("FS-2026-0001")
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="已登记过另一笔捐赠").wait_for()
        await form.locator(".back").click()

        # Part of it paid back, at the donor's request.
        await row.locator("button", has_text="捐赠记录").click()
        donation = page.locator(f"#donations-table tr[data-donation='{given['donation_id']}']")
        assert "江滨超市" in await donation.text_content()
        assert "微信支付" in await donation.text_content()
        await donation.locator("button", has_text="退还").click()
        refund = page.locator("#refund-form")
        await refund.locator("[name=amount_fen]").fill("234.29")
        await refund.locator("[name=reason]").select_option("donor-request")
        await refund.locator("[name=note]").fill("捐赠人要求部分退回")
        await refund.locator("button[type=submit]").click()
        await page.locator("#message", has_text="退还 234.29 元（捐赠人要求）").wait_for()
        await expect(balance).to_have_text("11000.00", timeout=WAIT_MS)
        # The figure, then what is left and the refund under it.
        refunded = re.compile(r"^234\.29尚余 1000\.00 元.* 退还 234\.29 元：捐赠人要求")
        await expect(donation.locator("td").nth(5)).to_have_text(refunded, timeout=WAIT_MS)

        # More than is left to refund: refused beside the form, and the refund's success no
        # longer said above it (it is not this form's outcome).
        await donation.locator("button", has_text="退还").click()
        await refund.locator("[name=amount_fen]").fill("1000.01")
        await refund.locator("button[type=submit]").click()
        await refund.locator(".errors li", has_text="退还金额超过").wait_for()
        await expect(page.locator("#message")).to_have_text("", timeout=WAIT_MS)
        # Enter in the amount, as the form opens on it, left blank: nothing is paid back, the
        # amount is asked for (it is no longer taken as all that is left).
        await donation.locator("button", has_text="退还").click()
        await expect(refund.locator("[name=amount_fen]")).to_be_focused(timeout=WAIT_MS)
        assert await refund.locator("[name=amount_fen]").get_attribute("placeholder") == (
            "最多 1000.00"
        )
        await page.keyboard.press("Enter")
        await refund.locator(
            ".errors li", has_text="请填写退还金额（这笔捐赠可退 1000.00 元）"
        ).wait_for()
        figures = (await funds.get(f"/funds/{fund_id}")).json()
        assert (figures["balance_fen"], figures["refunded_fen"]) == (1_100_000, 23_429)
        assert unexpected(errors) == []


async def test_a_fund_manager_checks_approves_and_rejects_applications(
    signed_in, funds, grant_round, known_team, submitted, token_for, sql
):
    # The office's fund, for projects in any of its communities.
    office_fund = await funds.post("/funds", json={"name": "县社区慈善基金"})
    round_id = await grant_round(office_fund.json()["fund_id"])
    elders = await submitted(round_id, "银龄互助小组", 200_000)
    children = await submitted(
        round_id,
        "儿童课后托管",
        150_000,
        team_id=await known_team("江滨助学社"),
        community_id="jiangbin",
    )
    # A community this service no longer knows by name (a replica rebuilt, say): its id.
    await sql("DELETE FROM funds.communities WHERE community_id = 'jiangbin'")
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        await page.click(".tab[data-tab=applications]")
        rows = page.locator("#applications-table tbody tr")
        await expect(rows).to_have_count(2, timeout=WAIT_MS)
        await page.locator("#round-info", has_text="预算 5000.00 元").wait_for()
        elders_row = page.locator(f"#applications-table tr[data-application='{elders}']")
        children_row = page.locator(f"#applications-table tr[data-application='{children}']")
        assert "已申请" in await elders_row.text_content()
        # Communities by name, as the needs service registered them; else by their id.
        assert await elders_row.locator("td").nth(1).text_content() == "丰山社区"
        assert await children_row.locator("td").nth(1).text_content() == "jiangbin"

        await elders_row.locator("button", has_text="资格审查").click()
        await page.locator("#message", has_text="银龄互助小组：资格审查通过").wait_for()
        await elders_row.locator("td", has_text="资格审查通过").wait_for()

        # Not reviewed yet: the API would refuse (not_reviewed), so 批准 is not offered, and
        # the row says why.
        await elders_row.locator("td", has_text="待评审：尚无评审意见").wait_for()
        assert await elders_row.get_by_role("button", name="批准", exact=True).count() == 0

        reviewer, recused = uuid4(), uuid4()
        reviewed = await funds.post(
            f"/applications/{elders}/reviews",
            headers=await token_for(Role.reviewer, "陈专家", person=reviewer),
            json={"reviewer_id": str(reviewer), "scores": {"need": 90, "feasibility": 81}},
        )
        assert reviewed.status_code == 201, reviewed.text
        stepped_aside = await funds.post(
            f"/applications/{elders}/recusals",
            headers=await token_for(Role.reviewer, "赵评审", person=recused),
            json={"reviewer_id": str(recused), "reason": "conflict-of-interest"},
        )
        assert stepped_aside.status_code == 201, stepped_aside.text
        await elders_row.locator("button", has_text="评审详情").click()
        await page.locator("#reviews-table td", has_text="需求程度 90，可行性 81").wait_for()
        # Reviewers by the names their tokens give, never by their ids; and who stepped aside.
        await page.locator("#reviews-table td", has_text="陈专家").wait_for()
        assert str(reviewer) not in await page.text_content("#reviews-table")
        await page.locator("#recusals li", has_text="赵评审：利益冲突").wait_for()
        # The review's mean to two decimals, as the list's mean: 85.5, not the event's 86.
        await page.locator("#reviews-table td", has_text="85.5").wait_for()
        assert "活动物资" in await page.text_content("#budget-table")

        # Reviewed, listed again: now it may be approved.
        await page.click(".tab[data-tab=applications]")
        await elders_row.get_by_role("button", name="批准", exact=True).click()
        approve = page.locator("#approve-form")
        assert await approve.locator("[name=approved_fen]").input_value() == "2000.00"
        assert await elders_row.locator("td", has_text="待评审").count() == 0

        # More than asked for is refused on the page; less is granted, to the fen.
        await approve.locator("[name=approved_fen]").fill("2500")
        await approve.locator("button[type=submit]").click()
        await approve.locator(".errors li", has_text="不能超过申请金额 2000.00 元").wait_for()
        await approve.locator("[name=approved_fen]").fill("1800.05")
        await approve.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已批准「银龄互助小组」1800.05 元").wait_for()
        await elders_row.locator("td", has_text="已获批").wait_for()
        await page.locator("#round-info", has_text="已批准 1800.05 元").wait_for()
        granted = (await funds.get(f"/applications/{elders}")).json()
        assert (granted["state"], granted["approved_fen"]) == ("approved", 180_005)

        await children_row.locator("button", has_text="不予批准").click()
        reject = page.locator("#reject-form")
        await reject.locator("[name=reason]").select_option("off-theme")
        await reject.locator("[name=note]").fill("与本轮为老服务主题不符")
        await reject.locator("button[type=submit]").click()
        await children_row.locator("td", has_text="不符合本轮主题").wait_for()
        refused = (await funds.get(f"/applications/{children}")).json()
        assert (refused["rejected_because"], refused["rejection_note"]) == (
            "off-theme",
            "与本轮为老服务主题不符",
        )

        # The list by state.
        await page.locator("#state").select_option("approved")
        await expect(rows).to_have_count(1, timeout=WAIT_MS)
        assert "银龄互助小组" in await rows.first.text_content()
        assert unexpected(errors) == []


async def test_a_round_parted_between_communities_shows_what_each_has_left(
    signed_in, funds, approved_grant, token_for
):
    office_fund = await funds.post("/funds", json={"name": "县社区慈善基金"})
    body = {
        "fund_id": office_fund.json()["fund_id"],
        "name": "2027 社区微创投",
        "budget_fen": 500_000,
        "themes": ["elderly-care"],
        "criteria": ["need", "feasibility"],
        "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "community_budgets_fen": {"fengshan": 150_000, "jiangbin": 100_000},
    }
    opened_round = await funds.post("/rounds", json=body)
    assert opened_round.status_code == 201, opened_round.text
    round_id = opened_round.json()["round_id"]
    await approved_grant(round_id, amount=100_000)
    second = await approved_grant(round_id, amount=100_000, title="儿童课后托管", approve=False)
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        await page.click(".tab[data-tab=applications]")
        info = page.locator("#round-info")
        await info.locator(
            "[data-community=fengshan]",
            has_text="丰山社区：额度 1500.00 元，已批准 1000.00 元，尚余 500.00 元",
        ).wait_for()
        await info.locator("[data-community=jiangbin]", has_text="尚余 1000.00 元").wait_for()

        # The round's budget has room, fengshan's envelope not: the refusal says how much.
        row = page.locator(f"#applications-table tr[data-application='{second}']")
        await row.get_by_role("button", name="批准", exact=True).click()
        approve = page.locator("#approve-form")
        await approve.locator("button[type=submit]").click()
        await approve.locator(".errors li", has_text="该社区的额度还剩 500.00 元").wait_for()
        assert unexpected(errors) == []


async def test_a_tranche_above_the_threshold_waits_until_a_second_manager_approves_it(
    signed_in, served, funds, fund, grant_round, approved_grant, token_for
):
    fund_id = await fund()
    round_id = await grant_round(fund_id)
    elders = await approved_grant(round_id)  # 2000.00 yuan
    children = await approved_grant(round_id, amount=100_000, title="儿童课后托管")
    requester = bare(await token_for(Role.fund_manager, "王会计", person=uuid4()))
    director = bare(await token_for(Role.fund_manager, "李主任", person=uuid4()))
    deputy = await token_for(Role.fund_manager, "张副主任", person=uuid4())
    assert THRESHOLD == 100_000  # 1000.00 yuan

    async with signed_in("/workbench", requester) as (page, errors):
        await page.click(".tab[data-tab=disbursements]")
        await page.locator("#threshold", has_text="单笔不超过 1000.00 元").wait_for()
        awaiting = page.locator("#awaiting-table tbody tr")
        await page.locator("#awaiting-table td.empty", has_text="没有待审批的拨付").wait_for()

        # Up to the threshold it is paid at once.
        small = page.locator(f"#grants-table tr[data-application='{children}'] form")
        await small.locator("[name=amount_fen]").fill("800")
        await small.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已向「儿童课后托管」拨付 800.00 元").wait_for()
        # The grants as they now stand (what is typed next is not lost to the reload).
        paid = page.locator(f"#grants-table tr[data-application='{children}'] td").nth(2)
        await expect(paid).to_have_text("800.00", timeout=WAIT_MS)
        # Beside it, what the team has reported of it: none yet.
        spent = page.locator(f"#grants-table tr[data-application='{children}'] td").nth(3)
        await expect(spent).to_have_text("0.00未登记 800.00", timeout=WAIT_MS)

        # Above it, it waits for two approvers, and its requester is not one: not offered.
        grant = page.locator(f"#grants-table tr[data-application='{elders}']")
        await grant.locator("[name=amount_fen]").fill("1500")
        await grant.locator("button[type=submit]").click()
        await page.locator("#message", has_text="待两位审批人审批后拨付").wait_for()
        await grant.locator("td", has_text="第 1 笔 1500.00 元待审批").wait_for()
        # The tranche's own row, not the list's "none" row still shown before its reload.
        await expect(awaiting.first).to_contain_text("银龄互助小组", timeout=WAIT_MS)
        await expect(awaiting).to_have_count(1, timeout=WAIT_MS)
        assert "丰山社区慈善基金" in await awaiting.first.text_content()
        assert "0 / 2" in await awaiting.first.text_content()
        await awaiting.first.locator("td", has_text="本人提出的拨付，须由另外两位").wait_for()
        assert await awaiting.first.locator("button", has_text="审批通过").count() == 0

        [waiting] = (await funds.get("/disbursements?state=awaiting_approval")).json()["items"]
        path = f"/applications/{elders}/disbursements/{waiting['disbursement_id']}/approve"
        first = await funds.post(path, headers=deputy)
        assert first.json()["paid"] is False

        # Whoever approved it once is not offered it again: it waits for another.
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        await sign_in(page, f"{served}/workbench", bare(deputy))
        await page.click(".tab[data-tab=disbursements]")
        await awaiting.first.locator("td", has_text="您已审批，须由另一位基金管理员审批").wait_for()
        assert await awaiting.first.locator("button", has_text="审批通过").count() == 0

        await page.click("#signout")
        await page.locator("#signin").wait_for()
        await sign_in(page, f"{served}/workbench", director)
        await page.click(".tab[data-tab=disbursements]")
        await awaiting.first.locator("td", has_text="1 / 2").wait_for()
        await awaiting.first.locator("button", has_text="审批通过").click()
        await page.locator("#message", has_text="已从基金拨付").wait_for()
        await page.locator("#awaiting-table td.empty", has_text="没有待审批的拨付").wait_for()
        await expect(grant.locator("td").nth(2)).to_have_text("1500.00", timeout=WAIT_MS)
        balance = (await funds.get(f"/funds/{fund_id}")).json()["balance_fen"]
        assert balance == 1_000_000 - 80_000 - 150_000
        assert unexpected(errors) == []


async def test_a_mid_term_evaluation_releases_the_next_tranche_or_suspends_the_grant(
    signed_in, funds, fund, grant_round, approved_grant, token_for
):
    round_id = await grant_round(await fund())
    elders = await approved_grant(round_id)  # 2000.00 yuan
    first = await funds.post(f"/applications/{elders}/disbursements", json={"amount_fen": 50_000})
    assert first.json()["paid"] is True, first.text
    manager = bare(await token_for(Role.fund_manager, "李主任", person=uuid4()))

    async with signed_in("/workbench", manager) as (page, errors):
        await page.click(".tab[data-tab=disbursements]")
        grant = page.locator(f"#grants-table tr[data-application='{elders}']")
        # The second tranche awaits an evaluation: no tranche form, and why not.
        await grant.locator("td", has_text="第 2 笔拨付须先通过中期评估").wait_for()
        assert await grant.locator("[name=amount_fen]").count() == 0

        # A fail suspends the grant's payments, and the row says so.
        await grant.locator("[name=passed]").select_option("false")
        await grant.locator("button", has_text="记录评估").click()
        await page.locator("#message", has_text="中期评估未通过，暂停拨付").wait_for()
        await grant.locator("td", has_text="暂停拨付：中期评估通过后才能继续拨付").wait_for()
        assert (await funds.get(f"/applications/{elders}")).json()["suspended"] is True
        assert await grant.locator("[name=amount_fen]").count() == 0

        # A pass lifts it and releases the second tranche, which is then asked for.
        await grant.locator("[name=passed]").select_option("true")
        await grant.locator("button", has_text="记录评估").click()
        await page.locator("#message", has_text="中期评估通过，可申请下一笔拨付").wait_for()
        await grant.locator("[name=amount_fen]").fill("500")
        await grant.locator("button[type=submit]").click()
        await page.locator("#message", has_text="已向「银龄互助小组」拨付 500.00 元").wait_for()
        await expect(grant.locator("td").nth(2)).to_have_text("1000.00", timeout=WAIT_MS)
        granted = (await funds.get(f"/applications/{elders}")).json()
        assert (granted["suspended"], granted["disbursed_fen"]) == (False, 100_000)
        assert unexpected(errors) == []


async def test_sign_in_is_for_fund_managers_and_admins(tab, served, token_for):
    auditor = await token_for(Role.auditor, "审计")
    reviewer = await token_for(Role.reviewer, "评审专家")
    admin = await token_for(Role.admin, "张管理员")
    async with tab() as page:
        errors = errors_of(page)
        refusals = (
            ("not-a-token", "令牌无效"),
            (bare(auditor), "此令牌的角色（审计）不能使用基金工作台"),
            (bare(reviewer), "此令牌的角色（评审）不能使用基金工作台"),
        )
        await refused_at_sign_in(page, f"{served}/workbench", refusals)

        await sign_in(page, f"{served}/workbench", bare(admin))
        await page.locator("#funds-table td.empty", has_text="本中心还没有基金").wait_for()
        assert await page.text_content("#who") == "张管理员 · 管理员"
        # A reload keeps the session (the tab's); signing out forgets the token.
        await page.reload()
        await page.locator("#funds-table td.empty", has_text="本中心还没有基金").wait_for()
        await page.click("#signout")
        await page.locator("#signin").wait_for()
        assert await page.evaluate("sessionStorage.length") == 0
        assert unexpected(errors) == []


async def test_the_page_runs_no_script_but_its_own_and_holds_no_data(served, fund):
    await fund()
    async with httpx.AsyncClient(base_url=served) as client:
        page = await client.get("/workbench")
        script = await client.get("/static/workbench/workbench.js")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        served = {asset: (await client.get(asset)).status_code for asset in assets}
        common = await client.get("/static/common/forms.js")  # the script's import
    assert page.status_code == 200
    assert served == dict.fromkeys(assets, 200)
    assert len(assets) == 3  # its own script and style, and the common style
    assert common.status_code == 200
    assert "基金工作台" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    # No inline style but the acknowledgement's own, which it opens: by its hash.
    assert "style-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "丰山社区慈善基金" not in page.text  # everything comes from the API, with a token
    assert '"wechat-pay":"微信支付"' in page.text  # the words for the codes, inline
    assert f'"threshold_fen":{THRESHOLD}' in page.text
    assert script.status_code == 200
    assert "innerHTML" not in script.text  # text only: a name can never run as code


def test_every_code_the_page_reads_or_sends_has_its_words():
    words = labels()
    assert list(words["donor_kinds"]) == [k.value for k in DonorKind]
    assert list(words["application_states"]) == [s.value for s in State]
    assert set(words["round_states"]) == {"open", "closed", "cancelled"}
    for kind, table in words.items():
        assert all(table.values()), kind
    # What the page sends as a code is a slug the API takes.
    assert words["channels"]["wechat"] == words["channels"]["wechat-pay"]
    assert "wechat" not in words["channel_choices"]
    for kind in (
        "channel_choices",
        "refund_reasons",
        "rejections",
        "withdrawals",
        "round_closings",
        "round_cancellations",
        "criteria",
    ):
        assert all(re.fullmatch(SLUG_PATTERN, code) for code in words[kind]), kind
    # The criteria the round form ticks when opened are the API's default.
    assert list(words["criteria"])[:3] == OpenRound.model_fields["criteria"].default_factory()


async def test_a_fund_manager_closes_a_round_early_then_cancels_it(
    signed_in, funds, fund, grant_round, submitted, approved_grant, token_for
):
    fund_id = await fund()
    round_id = await grant_round(fund_id)
    pending = await submitted(round_id, "银龄互助小组", 100_000)
    granted_round = await grant_round(fund_id)
    await approved_grant(granted_round)
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with signed_in("/workbench", token) as (page, errors):
        await page.click("button.tab[data-tab=applications]")
        await page.locator(f"#round option[value='{round_id}']").wait_for(state="attached")

        # A round something of which is approved may be closed early, not cancelled.
        await page.select_option("#round", granted_round)
        await expect(page.locator("#close-round")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#cancel-round")).to_be_hidden(timeout=WAIT_MS)

        # Closed early from the keyboard: the reason is published, the note kept.
        await page.select_option("#round", round_id)
        await page.locator("#applications-table tr", has_text="银龄互助小组").wait_for()
        await page.locator("#close-round").press("Enter")
        form = page.locator("#round-form")
        await expect(form.locator("[name=reason]")).to_be_focused(timeout=WAIT_MS)
        assert "已收到的申请照常评审" in await form.text_content()
        await page.keyboard.press("ArrowDown")  # 申报已足够
        await form.locator("[name=note]").fill("报名已满")
        await form.get_by_role("button", name="确认提前截止申报").press("Enter")
        await page.locator("#message", has_text="已提前截止申报（申报已足够）").wait_for()
        await page.locator("#round-info", has_text="（已截止）。提前截止：申报已足够。").wait_for()
        await expect(page.locator("#close-round")).to_be_hidden(timeout=WAIT_MS)
        closed = (await funds.get(f"/rounds/{round_id}")).json()
        assert (closed["state"], closed["closed_early_because"], closed["closing_note"]) == (
            "closed",
            "enough-applications",
            "报名已满",
        )

        # Then cancelled: its pending application ends with it.
        await page.click("#cancel-round")
        assert "不能恢复" in await form.text_content()
        await form.locator("[name=reason]").select_option("policy-changed")
        await form.get_by_role("button", name="确认取消本轮").click()
        await page.locator(
            "#message", has_text="已取消（政策调整），1 个尚未决定的申请随之结束。"
        ).wait_for()
        await page.locator("#round-info", has_text="已取消：政策调整。").wait_for()
        await expect(page.locator("#round-actions")).to_be_hidden(timeout=WAIT_MS)
        await page.locator("#applications-table tr", has_text="轮次已取消").wait_for()
        assert (await funds.get(f"/rounds/{round_id}")).json()["state"] == "cancelled"
        assert (await funds.get(f"/applications/{pending}")).json()["state"] == "rejected"
        assert unexpected(errors) == []


async def test_a_fund_manager_opens_a_round_on_a_fund(signed_in, funds, fund, token_for):
    fund_id = await fund()
    token = bare(await token_for(Role.fund_manager, "王会计"))
    next_year = datetime.now(UTC).year + 1

    async with signed_in("/workbench", token, viewport=PHONE) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        # On a phone the row stacks, each value named: its buttons on screen, not scrolled off.
        opening = row.get_by_role("button", name="开设轮次")
        box = await opening.bounding_box()
        assert box["x"] + box["width"] <= 390
        await expect(row.locator("td[data-label=余额]")).to_have_text("10000.00", timeout=WAIT_MS)
        await opening.click()
        form = page.locator("#round-open-form")
        await form.locator(".what", has_text="丰山社区慈善基金").wait_for()
        await expect(form.locator("[name=name]")).to_be_focused(timeout=WAIT_MS)
        # A community fund's rounds are its community's: no envelopes to part.
        await expect(form.locator(".envelopes")).to_be_hidden(timeout=WAIT_MS)

        # A cap above the budget, and no theme: said beside them, nothing sent.
        await page.keyboard.type("丰山社区公益微创投")
        await form.locator("[name=budget_fen]").fill("3000")
        await form.locator("[name=per_project_cap_fen]").fill("5000")
        await form.locator("[name=closes_at]").fill(f"{next_year}-03-01")
        await form.locator("[name=budget_fen]").press("Enter")
        too_high = "单个项目上限：不能超过总预算 3000.00 元"
        await form.locator(".errors li", has_text=too_high).wait_for()
        await form.locator("[name=per_project_cap_fen]").fill("1000")
        await form.locator("[name=budget_fen]").press("Enter")
        await form.locator(".errors li", has_text="主题：请至少填写一个主题").wait_for()
        assert (await funds.get("/rounds")).json()["items"] == []

        await form.locator("[name=themes]").fill("为老服务、 儿童关爱")
        await form.locator("[name=themes]").press("Enter")
        await page.locator(
            "#message", has_text="已在 丰山社区慈善基金 开设轮次「丰山社区公益微创投」"
        ).wait_for()
        await expect(form).to_be_hidden(timeout=WAIT_MS)
        [opened_round] = (await funds.get("/rounds")).json()["items"]
        assert {
            k: opened_round[k]
            for k in ("fund_id", "name", "budget_fen", "per_project_cap_fen", "themes")
        } == {
            "fund_id": fund_id,
            "name": "丰山社区公益微创投",
            "budget_fen": 300_000,
            "per_project_cap_fen": 100_000,
            "themes": ["为老服务", "儿童关爱"],
        }
        round_view = (await funds.get(f"/rounds/{opened_round['round_id']}")).json()
        assert round_view["criteria"] == ["need", "feasibility", "budget"]  # as offered
        assert round_view["communities"] == []
        # The last day's end, at the office (Asia/Shanghai).
        assert datetime.fromisoformat(opened_round["closes_at"]) == datetime(
            next_year, 3, 1, 15, 59, 59, tzinfo=UTC
        )
        await page.click("button.tab[data-tab=applications]")
        await page.locator("#round-info", has_text="预算 3000.00 元").wait_for()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        assert unexpected(errors) == []


async def test_a_round_of_an_office_wide_fund_is_parted_between_communities(
    signed_in, funds, token_for
):
    opened_fund = await funds.post("/funds", json={"name": "全县公益创投基金"})
    fund_id = opened_fund.json()["fund_id"]
    token = bare(await token_for(Role.fund_manager, "王会计"))
    next_year = datetime.now(UTC).year + 1

    async with signed_in("/workbench", token, viewport=PHONE) as (page, errors):
        row = page.locator(f"#funds-table tr[data-fund='{fund_id}']")
        await row.get_by_role("button", name="开设轮次").click()
        form = page.locator("#round-open-form")
        await form.locator("[name=budget_fen]").fill("3000")
        await form.locator("[name=closes_at]").fill(f"{next_year}-03-01")
        await form.locator("[name=themes]").fill("为老服务")
        criteria = form.locator(".criteria")
        for words in ("需求程度", "可行性", "预算合理性"):
            await criteria.get_by_label(words).uncheck()
        submit = form.locator("button[type=submit]")
        await submit.click()
        await form.locator(".errors li", has_text="评分项：请至少选一项").wait_for()
        assert await criteria.get_attribute("aria-invalid") == "true"
        await criteria.get_by_label("需求程度").check()
        await criteria.get_by_label("创新性").check()

        # Envelopes over the budget, then one community twice: said beside them, nothing sent.
        adding = form.get_by_role("button", name="添加社区额度")
        await adding.click()
        await adding.click()
        lines = form.locator(".envelope-line")
        await expect(lines.nth(1).locator("select")).to_be_focused(timeout=WAIT_MS)
        assert await lines.locator("select").evaluate_all("l => l.map(n => n.value)") == [
            "fengshan",
            "jiangbin",
        ]
        await lines.nth(0).locator("input").fill("2000")
        await lines.nth(1).locator("input").fill("1500")
        await submit.click()
        await form.locator(
            ".errors li", has_text="社区额度：各社区额度合计 3500.00 元，超过总预算 3000.00 元"
        ).wait_for()
        await lines.nth(1).locator("select").select_option("fengshan")
        await submit.click()
        await form.locator(".errors li", has_text="凤山街道 丰山社区填了两次").wait_for()
        await lines.nth(1).locator("select").select_option("jiangbin")
        await lines.nth(1).locator("input").fill("")
        await submit.click()
        await form.locator(".errors li", has_text="请填写阳明街道 江滨社区的额度").wait_for()
        assert await lines.nth(1).locator("input").get_attribute("aria-invalid") == "true"
        assert (await funds.get("/rounds")).json()["items"] == []

        await lines.nth(1).locator("input").fill("1000")
        await submit.click()
        await page.locator("#message", has_text="开设轮次").wait_for()
        [opened_round] = (await funds.get("/rounds")).json()["items"]
        round_view = (await funds.get(f"/rounds/{opened_round['round_id']}")).json()
        assert round_view["criteria"] == ["need", "innovation"]
        assert {c["community_id"]: c["budget_fen"] for c in round_view["communities"]} == {
            "fengshan": 200_000,
            "jiangbin": 100_000,
        }
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        assert unexpected(errors) == []


async def test_an_office_wide_fund_is_called_so_as_the_public_pages_do(signed_in, funds, token_for):
    opened_fund = await funds.post("/funds", json={"name": "全县公益创投基金"})
    assert opened_fund.status_code == 201, opened_fund.text
    fund_id = opened_fund.json()["fund_id"]
    token = bare(await token_for(Role.fund_manager, "王会计"))
    async with signed_in("/workbench", token) as (page, _):
        community = page.locator(f"#funds-table tr[data-fund='{fund_id}'] td").nth(1)
        await expect(community).to_have_text("全域", timeout=WAIT_MS)

"""The workbench's 报名申请 tab in a real headless Chromium: a coordinator sees the pending
applications sent from /join, accepts one (the volunteer is registered) and declines another
with a reason, on a phone's screen too."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

from .conftest import PHONE

FORM = {
    "community_id": "fengshan",
    "birth_month": "1990-05",
    "skills": ["haircut"],
    "availability": "周末上午",
    "consent_personal_data": "yes",
}


async def applied(volunteers, name: str, phone: str) -> str:
    answer = await volunteers.post(
        "/join", data={**FORM, "name": name, "phone": phone}, headers={"Authorization": ""}
    )
    assert answer.status_code == 200, answer.text
    listed = (await volunteers.get("/applications?state=pending")).json()["items"]
    [mine] = [a for a in listed if a["personal_data"]["applicant_name"] == name]
    return mine["application_id"]


async def test_a_coordinator_accepts_one_application_and_declines_another_on_a_phone(
    volunteers, team, signed_in, token_for
):
    _team_id, coordinator = await team()
    chen = await applied(volunteers, "陈小燕", "13812345678")
    zhou = await applied(volunteers, "周大力", "13812345679")
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with signed_in("/workbench", token, phone=True) as (page, errors):
        await page.click(".tab[data-tab=applications]")
        first = page.locator(f"#applications-table tr[data-application='{chen}']")
        await first.locator("td[data-label=电话]", has_text="13812345678").wait_for()
        await first.locator("td[data-label=社区]", has_text="fengshan 社区").wait_for()
        await first.locator("td[data-label=特长]", has_text="理发").wait_for()
        accept = first.get_by_role("button", name="接受")
        box = await accept.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]  # on screen, no sideways scrolling

        await accept.click()
        await expect(page.locator("#message")).to_contain_text("已接受 陈小燕 的报名")
        await expect(first).to_have_count(0)

        second = page.locator(f"#applications-table tr[data-application='{zhou}']")
        await second.get_by_role("button", name="不予通过").click()
        form = page.locator("#application-decline-form")
        await form.locator("[name=reason]").select_option("already-registered")
        await form.get_by_role("button", name="不予通过").click()
        await expect(page.locator("#message")).to_contain_text("不予通过（已是志愿者）")
        await expect(page.locator("#applications-table")).to_contain_text("没有待处理的报名申请")
        assert unexpected(errors) == []

    [accepted] = (await volunteers.get("/applications?state=accepted")).json()["items"]
    assert accepted["application_id"] == chen
    view = (await volunteers.get(f"/volunteers/{accepted['volunteer_id']}")).json()
    assert view["personal_data"]["name"] == "陈小燕"
    [declined] = (await volunteers.get("/applications?state=declined")).json()["items"]
    assert (declined["application_id"], declined["reason"]) == (zhou, "already-registered")


async def test_a_second_decision_on_an_application_is_said_in_chinese(
    volunteers, team, signed_in, token_for
):
    _team_id, coordinator = await team()
    chen = await applied(volunteers, "陈小燕", "13812345678")
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with signed_in("/workbench", token) as (page, _errors):
        await page.click(".tab[data-tab=applications]")
        row = page.locator(f"#applications-table tr[data-application='{chen}']")
        await row.wait_for()
        # Another coordinator declines it meanwhile.
        answer = await volunteers.post(
            f"/applications/{chen}/decline", json={"reason": "unreachable"}
        )
        assert answer.status_code == 204
        await row.get_by_role("button", name="接受").click()
        await expect(page.locator("#message")).to_contain_text("这份申请已经处理过了")
        await expect(row).to_have_count(0)
    assert (await volunteers.get("/applications?state=accepted")).json()["items"] == []

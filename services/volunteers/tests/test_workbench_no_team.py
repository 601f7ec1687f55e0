"""The workbench for a coordinator who runs no team, in a real headless Chromium: they reach
the 报名申请 tab (applications are the office's communities', not a team's) and nothing of a
team's; the tab counts the pending applications (报名申请（2）) for every coordinator."""

from __future__ import annotations

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

from .test_workbench_applications import applied


async def test_a_coordinator_of_no_team_decides_applications(
    volunteers, volunteer, signed_in, token_for
):
    member = await volunteer()  # in no team
    chen = await applied(volunteers, "陈小燕", "13812345678")
    await applied(volunteers, "周大力", "13812345679")
    token = bare(await token_for(Role.coordinator, "李明", person=member))

    async with signed_in("/workbench", token) as (page, errors):
        tab = page.locator(".tab[data-tab=applications]")
        await expect(tab).to_have_text("报名申请（2）")
        await expect(page.locator("#no-team")).to_contain_text("还不是任何队伍的协调员")
        await expect(page.locator("#no-team")).to_contain_text("报名申请")
        for team_tab in ("activities", "hours", "members"):
            await expect(page.locator(f".tab[data-tab={team_tab}]")).to_be_hidden()
        await expect(page.locator("#team-choice")).to_be_hidden()
        await expect(page.locator("#activities")).to_be_hidden()

        row = page.locator(f"#applications-table tr[data-application='{chen}']")
        await row.get_by_role("button", name="接受").click()
        await expect(page.locator("#message")).to_contain_text("已接受 陈小燕 的报名")
        await expect(tab).to_have_text("报名申请（1）")
        assert unexpected(errors) == []

    [accepted] = (await volunteers.get("/applications?state=accepted")).json()["items"]
    assert accepted["application_id"] == chen


async def test_a_coordinator_of_a_team_keeps_the_team_tabs_and_sees_the_count(
    volunteers, team, signed_in, token_for
):
    _team_id, coordinator = await team()
    await applied(volunteers, "陈小燕", "13812345678")
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))

    async with signed_in("/workbench", token) as (page, errors):
        await expect(page.locator(".tab[data-tab=activities]")).to_have_attribute(
            "aria-pressed", "true"
        )
        await expect(page.locator("#team option")).to_have_count(1)
        await expect(page.locator("#no-team")).to_be_hidden()
        tab = page.locator(".tab[data-tab=applications]")
        await expect(tab).to_have_text("报名申请（1）")

        # Decided elsewhere meanwhile: the count follows on the next tab change.
        [pending] = (await volunteers.get("/applications?state=pending")).json()["items"]
        answer = await volunteers.post(
            f"/applications/{pending['application_id']}/decline", json={"reason": "duplicate"}
        )
        assert answer.status_code == 204
        await page.click(".tab[data-tab=hours]")
        await expect(tab).to_have_text("报名申请")
        assert unexpected(errors) == []


async def test_the_count_is_a_count_for_coordinators_only(volunteers, token_for, volunteer):
    await applied(volunteers, "陈小燕", "13812345678")
    member = await volunteer()

    counted = await volunteers.get(
        "/applications/counts", headers=await token_for(Role.coordinator, "李明", person=member)
    )
    refused = await volunteers.get(
        "/applications/counts", headers=await token_for(Role.volunteer, "李明", person=member)
    )

    assert counted.status_code == 200, counted.text
    assert counted.json() == {"pending": 1}
    assert refused.status_code == 403

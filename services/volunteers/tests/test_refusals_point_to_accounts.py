"""A token that names nobody, refused where a person must be named, is told to ask the office
admin for one that names them (账号管理) — the operator's command still beside it — by the API
and by the coordinators' workbench."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare

ADMIN_PAGE = "账号管理"
COMMAND = "wushe token create --person <volunteer id>"


async def test_a_volunteer_token_naming_nobody_is_sent_to_the_office_admin(
    volunteers, token_for, team
):
    _team_id, coordinator = await team()
    nobody = await token_for(Role.volunteer)
    refused = await volunteers.get(f"/teams?coordinator_id={coordinator}", headers=nobody)
    assert refused.status_code == 403, refused.text
    detail = refused.json()["detail"]
    assert "ask the office admin" in detail
    assert ADMIN_PAGE in detail
    assert "/accounts" in detail
    assert COMMAND in detail


async def test_a_coordinator_token_naming_nobody_is_sent_to_the_office_admin(
    volunteers, token_for, team
):
    team_id, _coordinator = await team()
    starts = datetime.now(UTC) + timedelta(days=3)
    refused = await volunteers.post(
        "/activities",
        json={
            "team_id": team_id,
            "community_id": "fengshan",
            "title": "理发进社区",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "capacity": 10,
        },
        headers=await token_for(Role.coordinator),
    )
    assert refused.status_code == 403, refused.text
    detail = refused.json()["detail"]
    assert ADMIN_PAGE in detail
    assert COMMAND in detail
    listed = await volunteers.get(f"/activities?team_id={team_id}")
    assert listed.json()["items"] == [], "the refusal scheduled nothing"


async def test_the_workbench_sends_a_coordinator_naming_nobody_to_the_accounts_page(
    token_for, signed_in
):
    token = bare(await token_for(Role.coordinator, "王协调"))
    async with signed_in("/workbench", token) as (page, _errors):
        error = page.locator("#no-team")  # signed in to the applications, not to a team
        await expect(error).to_contain_text("管理员在“账号管理”页面")
        await expect(error).to_contain_text("--person")

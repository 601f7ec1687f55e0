"""The coordinators' workbench, 我的志愿服务 and 账号管理 in a real headless Chromium: each signs
in with a form a browser's password manager understands, which names the account by who, in
what role, in which office, while the page keeps the token in the tab only and, signed out,
leaves the token field for the browser alone to fill."""

from __future__ import annotations

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, kept_as_a_password, unexpected

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium


async def test_the_workbench_names_the_coordinators_account(signed_in, token_for, team, office):
    _team_id, coordinator = await team()
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))
    async with signed_in("/workbench", token) as (page, errors):
        await kept_as_a_password(page, token, f"王协调（志愿服务协调员，{office}）")
        assert unexpected(errors) == []


async def test_the_volunteers_page_names_the_volunteers_account(
    signed_in, token_for, volunteer, office
):
    token = bare(await token_for(Role.volunteer, "李明", person=await volunteer()))
    async with signed_in("/my", token) as (page, errors):
        await kept_as_a_password(page, token, f"李明（志愿者，{office}）")
        assert unexpected(errors) == []


async def test_the_accounts_page_names_the_admins_account(signed_in, token_for, office):
    token = bare(await token_for(Role.admin, "赵管理"))
    async with signed_in("/accounts", token) as (page, errors):
        await kept_as_a_password(page, token, f"赵管理（管理员，{office}）")
        assert unexpected(errors) == []

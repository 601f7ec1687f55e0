"""The fund managers' workbench, 项目评审 and 项目申报与执行 in a real headless Chromium: each
signs in with a form a browser's password manager understands, which names the account by who,
in what role, in which office, while the page keeps the token in the tab only and, signed out,
leaves the token field for the browser alone to fill."""

from __future__ import annotations

from uuid import uuid4

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, kept_as_a_password, unexpected

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium


async def test_the_workbench_names_the_fund_managers_account(signed_in, token_for, office):
    token = bare(await token_for(Role.fund_manager, "王会计"))
    async with signed_in("/workbench", token) as (page, errors):
        await kept_as_a_password(page, token, f"王会计（基金管理员，{office}）")
        assert unexpected(errors) == []


async def test_the_review_page_names_the_reviewers_account(signed_in, token_for, office):
    token = bare(await token_for(Role.reviewer, "陈教授", person=uuid4()))
    async with signed_in("/review", token) as (page, errors):
        await kept_as_a_password(page, token, f"陈教授（评审，{office}）")
        assert unexpected(errors) == []


async def test_the_applicants_page_names_the_coordinators_account(signed_in, coordinator, office):
    token, _teams = await coordinator("阳光儿童服务社")
    async with signed_in("/grants", token) as (page, errors):
        await kept_as_a_password(page, token, f"李协调（志愿服务协调员，{office}）")
        assert unexpected(errors) == []

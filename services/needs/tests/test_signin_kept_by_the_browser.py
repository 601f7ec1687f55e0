"""The social workers' workbench, the volunteers' 认领微心愿 page and 审计查询 in a real headless
Chromium: each signs in with a form a browser's password manager understands, which names the
account by who, in what role, in which office, while the page keeps the token in the tab only
and, signed out, leaves the token field for the browser alone to fill."""

from __future__ import annotations

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, kept_as_a_password, unexpected

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium


async def test_the_workbench_names_the_social_workers_account(
    signed_in, token_for, community, office
):
    await community()  # the workbench opens on an office's communities
    token = bare(await token_for(Role.social_worker, "王社工"))
    async with signed_in("/workbench", token) as (page, errors):
        await kept_as_a_password(page, token, f"王社工（社工，{office}）")
        assert unexpected(errors) == []


async def test_the_wish_page_names_the_volunteers_account(
    signed_in, token_for, known_volunteer, office
):
    token = bare(await token_for(Role.volunteer, "李明", person=await known_volunteer("小李")))
    async with signed_in("/my", token) as (page, errors):
        await kept_as_a_password(page, token, f"李明（志愿者，{office}）")
        assert unexpected(errors) == []


async def test_the_audit_page_names_the_auditors_account(signed_in, token_for, office):
    token = bare(await token_for(Role.auditor, "市审计局"))
    async with signed_in("/audit", token) as (page, errors):
        await kept_as_a_password(page, token, f"市审计局（审计，{office}）")
        assert unexpected(errors) == []

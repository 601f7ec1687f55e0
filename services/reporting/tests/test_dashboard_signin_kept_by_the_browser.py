"""The dashboard's 登录 in a real headless Chromium: a form a browser's password manager
understands, which names the account by who, in what role (in Chinese, whatever the page's
language: one token, one name), in which office, while the page keeps the token in the tab
only and, signed out, leaves the token field for the browser alone to fill."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from wushe_events.database import create_engine
from wushe_service.auth import Role, create_token
from wushe_service.browser_testing import (
    WAIT_MS,
    errors_of,
    kept_as_a_password,
    listening,
    unexpected,
)

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium


@pytest.fixture
async def dashboard(reporting_app) -> AsyncIterator[str]:
    async with listening(reporting_app()) as url:
        yield url


@pytest.fixture
async def auditor(database_url, office) -> str:
    engine = create_engine(database_url, "reporting")
    try:
        return await create_token(engine, role=Role.auditor, name="市审计局", office=office)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_dashboard_names_the_auditors_account(tab, dashboard, auditor, office, lang):
    async with tab() as page:
        errors = errors_of(page)
        await page.goto(f"{dashboard}/?lang={lang}")
        await page.click("#signin-open")
        await page.fill("#token", auditor)
        await page.click("#signin-form button[type=submit]")
        await kept_as_a_password(page, auditor, f"市审计局（审计，{office}）")
        await page.click("#signin-open")
        await page.locator("#token").wait_for(timeout=WAIT_MS)
        assert await page.input_value("#token") == ""
        assert unexpected(errors) == []

"""A consent recorded in another window while a resident's file is open: 记录同意 is answered as
on record, not recorded twice, and the file says so — in a real headless Chromium, against the
real PostgreSQL and NATS."""

from __future__ import annotations

import functools

import pytest
from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

from .test_workbench_consent_on_record import _open_file


@pytest.fixture
async def social_worker(token_for) -> str:
    return bare(await token_for(Role.social_worker, "王芳"))


@pytest.fixture
def workbench(signed_in, social_worker):
    return functools.partial(signed_in, "/workbench", social_worker, phone=True)


async def test_a_consent_recorded_meanwhile_is_said_on_record(workbench, needs, resident):
    someone = await resident(consent={"given_by": "self"})
    async with workbench() as (page, errors):
        await _open_file(page, someone)
        form = page.locator("#consent-form")
        await expect(form.locator("[name=purpose]")).to_have_value("services")
        meanwhile = await needs.post(
            f"/residents/{someone}/consents", json={"purpose": "services", "given_by": "self"}
        )
        assert meanwhile.status_code == 204, meanwhile.text
        await form.locator("button[type=submit]").click()
        await page.locator("#message", has_text="同意接受服务已在档案中，未重复记录").wait_for()
        await expect(form.locator("[name=purpose] option")).to_have_text(["与合作机构共享"])
        filed = (await needs.get(f"/residents/{someone}")).json()
        granted = [c["purpose"] for c in filed["consent_history"] if c["change"] == "granted"]
        assert granted == ["personal_data", "services"]
        assert unexpected(errors) == []

"""The staff pages' sign-in (the needs workbench's, in the common workbench style): 登录 stands
level with the token's field beside it, on a phone as at a desk, not up by the field's label.
In a real Chromium."""

from __future__ import annotations

import pytest

from wushe_service.browser_testing import PHONE


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
async def test_the_sign_in_button_is_level_with_the_token_field(tab, served, viewport):
    async with tab(viewport=viewport) as page:
        await page.goto(f"{served}/workbench")
        field = await page.locator("#token").bounding_box()
        button = await page.locator("#signin-form button[type=submit]").bounding_box()
        assert field is not None
        assert button is not None
        assert abs((field["y"] + field["height"]) - (button["y"] + button["height"])) <= 1

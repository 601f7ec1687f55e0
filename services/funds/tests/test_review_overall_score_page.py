"""A review given through the API as one overall score, as the review page (项目评审) shows it
to its reviewer, in a real headless Chromium: no criterion scores, its 总分."""

from uuid import uuid4

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected

from .conftest import PHONE


async def test_a_reviewer_sees_their_overall_score(
    signed_in, funds, fund, grant_round, submitted, token_for
):
    reviewer = uuid4()
    round_id = await grant_round(await fund())
    the_id = await submitted(round_id, "银龄互助小组", checked=True)
    as_reviewer = await token_for(Role.reviewer, "陈教授", person=reviewer)
    reviewed = await funds.post(
        f"/applications/{the_id}/reviews",
        headers=as_reviewer,
        json={"reviewer_id": str(reviewer), "score": 77},
    )
    assert reviewed.status_code == 201, reviewed.text

    async with signed_in("/review", bare(as_reviewer), viewport=PHONE) as (page, errors):
        card = page.locator(f"li[data-application='{the_id}']")
        await expect(card.locator(".state")).to_have_text("已评审", timeout=WAIT_MS)
        await expect(card.locator(".mine")).to_have_text("我的评分：总分 77", timeout=WAIT_MS)
        assert unexpected(errors) == []

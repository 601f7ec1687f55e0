"""我的志愿服务 in a real headless Chromium, on a phone: a certificate still valid but issued
before more hours were verified is said to leave them out — the page's total and the paper's
disagree, and the student who prints it for the university must know why and what to ask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, bare, unexpected


async def test_a_certificate_behind_the_verified_hours_says_what_it_leaves_out(
    signed_in, token_for, volunteers, team, volunteer, signed_up
):
    team_id, _ = await team()
    liu = await volunteer()
    now = datetime.now(UTC).replace(second=0, microsecond=0)

    async def served(days: int, hours: float) -> None:
        starts = now - timedelta(days=days)
        activity_id = await signed_up(team_id, liu, starts, hours=3)
        attended = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": liu,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (starts + timedelta(hours=hours)).isoformat(),
            },
        )
        assert attended.status_code == 201, attended.text
        (record,) = (await volunteers.get(f"/hours?volunteer_id={liu}&state=pending")).json()[
            "items"
        ]
        judged = await volunteers.post(f"/hours/{record['record_id']}/verify", json={})
        assert judged.status_code == 200, judged.text

    await served(6, 2)
    issued = await volunteers.post(f"/volunteers/{liu}/certificates")
    assert issued.status_code == 201, issued.text
    await served(3, 1.5)  # verified after the certificate: it stays valid, without them

    token = bare(await token_for(Role.volunteer, "小刘", person=liu))
    async with signed_in("/my", token, phone=True) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        state = page.locator("#certificate-state")
        await expect(state).to_contain_text(issued.json()["number"], timeout=WAIT_MS)
        assert await page.text_content("#hours-total") == "已核实 3.50 小时"
        text = await state.text_content()
        assert "共 2.00 小时" in text
        assert "此后核实的 1.50 小时未计入" in text
        assert "请向所在队伍的协调员申请重新出具" in text
        assert unexpected(errors) == []


async def test_a_certificate_with_every_verified_hour_says_it_is_complete(
    signed_in, token_for, volunteers, team, volunteer, signed_up
):
    team_id, _ = await team()
    liu = await volunteer()
    starts = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=5)
    activity_id = await signed_up(team_id, liu, starts, hours=3)
    await volunteers.post(
        f"/activities/{activity_id}/attendance",
        json={
            "volunteer_id": liu,
            "checked_in_at": starts.isoformat(),
            "checked_out_at": (starts + timedelta(hours=2)).isoformat(),
        },
    )
    (record,) = (await volunteers.get(f"/hours?volunteer_id={liu}")).json()["items"]
    await volunteers.post(f"/hours/{record['record_id']}/verify", json={})
    number = (await volunteers.post(f"/volunteers/{liu}/certificates")).json()["number"]

    token = bare(await token_for(Role.volunteer, "小刘", person=liu))
    async with signed_in("/my", token, phone=True) as (page, errors):
        await page.click(".tab[data-tab=hours]")
        state = page.locator("#certificate-state")
        await expect(state).to_contain_text(number, timeout=WAIT_MS)
        assert "已包含全部已核实的服务时长" in await state.text_content()
        assert unexpected(errors) == []

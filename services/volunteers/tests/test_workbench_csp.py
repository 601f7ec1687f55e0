"""The coordinators' workbench and the volunteers' own page under a strict
Content-Security-Policy (no 'unsafe-inline' style), in a real headless Chromium: each page and
the certificate (志愿服务记录证明) it opens apply their own style and violate no policy, while a
<style> injected into the certificate is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, csp_violations, sign_in

INJECTED = """() => { const s = document.createElement("style");
  s.textContent = "h1 { color: rgb(1, 2, 3) }"; document.head.append(s);
  return getComputedStyle(document.querySelector("h1")).color; }"""


@pytest.fixture
async def certified(volunteers, team, volunteer, signed_up):
    """李明, a member of a team, with two verified hours and a certificate of them:
    (coordinator, 李明)."""
    team_id, coordinator = await team()
    li = await volunteer()
    joined = await volunteers.post(f"/teams/{team_id}/members", json={"volunteer_id": li})
    assert joined.status_code == 204, joined.text
    starts = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
    activity_id = await signed_up(team_id, li, starts, 3)
    attendance = {
        "volunteer_id": li,
        "checked_in_at": starts.isoformat(),
        "checked_out_at": (starts + timedelta(hours=2)).isoformat(),
    }
    attended = await volunteers.post(f"/activities/{activity_id}/attendance", json=attendance)
    assert attended.status_code == 201, attended.text
    [record] = (await volunteers.get(f"/hours?volunteer_id={li}&state=pending")).json()["items"]
    verified = await volunteers.post(f"/hours/{record['record_id']}/verify", json={})
    assert verified.is_success, verified.text
    issued = await volunteers.post(f"/volunteers/{li}/certificates")
    assert issued.status_code == 201, issued.text
    return coordinator, li


async def strictly_styled(sheet, violations: list[str]) -> None:
    """The certificate shows with its own style, no policy violated, and no other applies."""
    await sheet.locator("h1", has_text="志愿服务记录证明").wait_for()
    align = await sheet.eval_on_selector("h1", "e => getComputedStyle(e).textAlign")
    assert align == "center"  # its own style applies
    assert violations == []
    assert await sheet.evaluate(INJECTED) != "rgb(1, 2, 3)"


async def test_the_workbench_and_the_certificate_it_opens_raise_no_csp_violation(
    tab, served, certified, token_for
):
    coordinator, li = certified
    token = bare(await token_for(Role.coordinator, "王协调", person=coordinator))
    async with tab() as page:
        violations = await csp_violations(page.context)
        await sign_in(page, f"{served}/workbench", token)
        await page.click(".tab[data-tab=members]")
        await page.locator(f"#members-table tr[data-volunteer='{li}'] button").click()
        await page.locator("#certificate-panel .issued", has_text="有效").wait_for()
        async with page.expect_popup() as opening:
            await page.click("#certificate-open")
        await strictly_styled(await opening.value, violations)


async def test_the_volunteers_page_and_their_certificate_raise_no_csp_violation(
    tab, served, certified, token_for
):
    _, li = certified
    token = bare(await token_for(Role.volunteer, "李明", person=li))
    async with tab() as page:
        violations = await csp_violations(page.context)
        await sign_in(page, f"{served}/my", token)
        await page.click(".tab[data-tab=hours]")
        await page.locator("#certificate-state", has_text="最近一份证明").wait_for()
        async with page.expect_popup() as opening:
            await page.click("#certificate")
        await strictly_styled(await opening.value, violations)


async def test_the_pages_and_the_certificate_allow_no_unsafe_inline_style(
    volunteers, certified, token_for
):
    _, li = certified
    pages = [await volunteers.get(path) for path in ("/workbench", "/my")]
    sheet = await volunteers.get(
        f"/volunteers/{li}/certificate?format=html",
        headers=await token_for(Role.volunteer, "李明", person=li),
    )
    assert sheet.status_code == 200, sheet.text
    for response in (*pages, sheet):
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy
        assert "style-src 'self'" in policy or "style-src 'sha256-" in policy

"""The funds workbench under a strict Content-Security-Policy (no 'unsafe-inline' style), in
a real headless Chromium: the page and the acknowledgement it opens apply their own style and
violate no policy, while a <style> injected into the sheet is refused."""

from __future__ import annotations

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, csp_violations, sign_in

from .test_acknowledgement_in_workbench import donate, open_sheet

INJECTED = """() => { const s = document.createElement("style");
  s.textContent = "h1 { color: rgb(1, 2, 3) }"; document.head.append(s);
  return getComputedStyle(document.querySelector("h1")).color; }"""


async def test_the_workbench_and_its_acknowledgement_raise_no_csp_violation(
    tab, served, funds, fund, token_for
):
    fund_id = await fund(0)
    donation_id = await donate(funds, fund_id, 50_000, receipt_number="FS-2026-0100")
    token = bare(await token_for(Role.fund_manager, "王会计"))

    async with tab() as page:
        violations = await csp_violations(page.context)
        await sign_in(page, f"{served}/workbench", token)
        sheet = await open_sheet(page, fund_id, donation_id)
        align = await sheet.eval_on_selector(".letterhead", "e => getComputedStyle(e).textAlign")
        assert align == "center"
        assert violations == []
        # Only the sheet's own style applies: another inline one is refused.
        assert await sheet.evaluate(INJECTED) != "rgb(1, 2, 3)"


async def test_the_workbench_and_the_acknowledgement_allow_no_unsafe_inline_style(
    funds, fund, token_for
):
    fund_id = await fund(0)
    donation_id = await donate(funds, fund_id, 50_000)
    page = await funds.get("/workbench")
    sheet = await funds.get(
        f"/funds/{fund_id}/donations/{donation_id}/acknowledgement?format=html",
        headers=await token_for(Role.fund_manager, "王会计"),
    )
    for response in (page, sheet):
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy
        assert "style-src 'self'" in policy or "style-src 'sha256-" in policy

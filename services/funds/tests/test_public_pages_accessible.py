"""The funds' public pages pass an accessibility audit — axe-core: WCAG 2.1 A/AA, as GB/T
37668-2019 asks of a government's pages, and axe's best practices — at a desktop's width and a
phone's, with something in every list — a named gift and a refund, a grant disbursed and spent
— and so does the page of a mistyped address, in a real Chromium, against the real PostgreSQL
and NATS."""

from uuid import uuid4

import pytest

from wushe_service.accessibility_audit import AUDIT, SCREENS, accessibility_violations


@pytest.fixture
async def public_pages(funds, fund, grant_round, approved_grant):
    """The address of each public page of the funds, a fund with money in and out."""
    fund_id = await fund(1_234_500)
    gift = {"amount_fen": 50_000, "donor_kind": "enterprise", "donor_name": "余姚某电器有限公司"}
    gift |= {"publish_donor_name": True, "channel": "bank-transfer"}
    donated = await funds.post(f"/funds/{fund_id}/donations", json=gift)
    assert donated.status_code == 201, donated.text
    refund = {"amount_fen": 20_000, "reason": "donor-request"}
    donation = donated.json()["donation_id"]
    refunded = await funds.post(f"/funds/{fund_id}/donations/{donation}/refund", json=refund)
    assert refunded.status_code == 201, refunded.text
    round_id = await grant_round(fund_id)
    grant = await approved_grant(round_id, amount=123_400)
    paid = await funds.post(f"/applications/{grant}/disbursements", json={"amount_fen": 100_000})
    assert paid.is_success, paid.text
    spent = {"amount_fen": 100_000, "category": "materials", "receipt_sha256": uuid4().hex * 2}
    assert (await funds.post(f"/applications/{grant}/expenses", json=spent)).status_code == 201
    return [
        "/public/funds",
        f"/public/funds/{fund_id}/ledger",
        f"/public/funds/{fund_id}/ledger/entries/1",
        f"/public/funds/{fund_id}/ledger/entries/3",
        "/public/projects",
        f"/public/applications/{grant}/disclosure",
        f"/public/rounds/{round_id}/disclosure",
        f"/public/funds/{uuid4()}/ledger",  # a mistyped fund: the error page (404)
        "/public/projects?state=nonsense",  # and one naming what is wrong in the address (422)
    ]


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_public_pages_have_no_accessibility_violation(served, tab, public_pages, screen):
    found = {}
    async with tab(viewport=SCREENS[screen]) as page:
        for path in public_pages:
            await page.goto(f"{served}{path}{'&' if '?' in path else '?'}format=html")
            if violations := await accessibility_violations(page, **AUDIT):
                found[path] = violations
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())

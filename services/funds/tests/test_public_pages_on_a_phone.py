"""The funds list, a fund's ledger and the projects list on a phone, as a donor opens them from
the notice board's QR code: what each row is read for — a fund's balance and the way to its
ledger, an entry's amount and the balance after it, a project's grant and its disclosure — is
on the screen, not scrolled out of sight to the right of a table — in a real Chromium, against
the real PostgreSQL and NATS."""

from wushe_service.browser_testing import PHONE

# The right edge of the element the selector finds first, and the width of the screen.
EDGE = """selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return [box.right, innerWidth];
}"""


async def test_a_funds_balance_and_its_ledger_link_are_on_a_phones_screen(tab, served, fund):
    await fund(1_234_500)
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/funds?format=html")
        # The balance is the sixth column, the ledger's link the seventh.
        for cell in ("tbody td:nth-child(6)", "tbody a[href*='/ledger']"):
            right, width = await page.evaluate(EDGE, cell)
            assert right <= width, cell
        assert await page.get_by_text("12,345.00").first.is_visible()
        await page.get_by_role("link", name="查看").click()
        await page.get_by_text("收支公示").first.wait_for()


async def test_a_ledger_entrys_amount_and_balance_are_on_a_phones_screen(tab, served, funds, fund):
    fund_id = await fund(1_234_500)
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/funds/{fund_id}/ledger?format=html")
        # The income is the sixth column, the balance the eighth.
        for cell in ("tbody td:nth-child(6)", "tbody td:nth-child(8)"):
            right, width = await page.evaluate(EDGE, cell)
            assert right <= width, cell
        # Each figure is named on the phone, as its column's heading names it on a desktop.
        label = await page.evaluate(
            "getComputedStyle(document.querySelector(\"tbody td[data-label='余额（元）']\"),"
            " '::before').content"
        )
        assert label == '"余额（元）："'
        # An entry's empty column (no outflow for a donation) is not a named blank.
        assert not await page.locator("tbody td[data-label='支出（元）']").is_visible()


async def test_a_projects_grant_and_its_disclosure_are_on_a_phones_screen(
    tab, served, fund, grant_round, approved_grant
):
    await approved_grant(await grant_round(await fund()), amount=123_400)
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/projects?format=html")
        # The approved amount is the fifth column, the disclosure's link in the last.
        for cell in ("tbody td:nth-child(5)", "tbody a[href*='/disclosure']"):
            right, width = await page.evaluate(EDGE, cell)
            assert right <= width, cell
        assert await page.get_by_text("1,234.00").first.is_visible()
        await page.get_by_role("link", name="项目公示").click()
        await page.get_by_text("申报预算").wait_for()


async def test_on_a_desktop_the_ledger_is_still_a_table(tab, served, fund):
    fund_id = await fund(1_234_500)
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        await page.goto(f"{served}/public/funds/{fund_id}/ledger?format=html")
        assert await page.locator("thead").first.is_visible()
        display = await page.evaluate(
            "getComputedStyle(document.querySelector('tbody tr')).display"
        )
        assert display == "table-row"

"""A round's disclosure (项目批次公示) and a project's (项目公示) on a phone, as a donor opens
them from a link on the projects list or a ledger: every cell of their tables is on the
screen, stacked as the funds list's and a ledger's rows are, not scrolled out of sight to the
right — in a real Chromium, against the real PostgreSQL and NATS."""

from uuid import uuid4

PHONE = {"width": 390, "height": 844}

# The rightmost edge of any cell of the page's tables' rows, and the width of the screen, and
# whether the page scrolls sideways. The headings are left out: on a phone they are there for a
# screen reader only, clipped to a pixel, and a Chromium may lay them out past the edge unseen.
RIGHTMOST = """() => [
  Math.max(...[...document.querySelectorAll('tbody td, tbody th')]
    .filter(cell => cell.getClientRects().length)
    .map(cell => cell.getBoundingClientRect().right)),
  innerWidth,
  document.documentElement.scrollWidth > innerWidth,
]"""


async def test_a_rounds_grants_are_on_a_phones_screen(
    served, tab, fund, grant_round, approved_grant
):
    round_id = await grant_round(await fund())
    await approved_grant(round_id, amount=123_400, title="银龄互助小组与儿童托管服务")
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/rounds/{round_id}/disclosure?format=html")
        right, width, scrolls = await page.evaluate(RIGHTMOST)
        assert right <= width
        assert not scrolls
        label = "tbody td[data-label='已拨付（元）']"
        assert await page.locator(label).first.is_visible()
        await page.get_by_role("link", name="银龄互助小组与儿童托管服务").click()
        await page.get_by_text("申报预算").wait_for()


async def test_a_projects_expenses_are_on_a_phones_screen(
    served, tab, funds, fund, grant_round, approved_grant
):
    grant = await approved_grant(await grant_round(await fund()), amount=123_400)
    url = f"/applications/{grant}"
    assert (await funds.post(f"{url}/disbursements", json={"amount_fen": 100_000})).is_success
    expense = {"amount_fen": 100_000, "category": "materials", "receipt_sha256": uuid4().hex * 2}
    assert (await funds.post(f"{url}/expenses", json=expense)).status_code == 201
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/public/applications/{grant}/disclosure?format=html")
        right, width, scrolls = await page.evaluate(RIGHTMOST)
        assert right <= width
        assert not scrolls
        assert await page.get_by_text("1,000.00").first.is_visible()


async def test_on_a_desktop_a_rounds_grants_are_still_a_table(
    served, tab, fund, grant_round, approved_grant
):
    round_id = await grant_round(await fund())
    await approved_grant(round_id)
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        await page.goto(f"{served}/public/rounds/{round_id}/disclosure?format=html")
        display = await page.evaluate(
            "getComputedStyle(document.querySelector('tbody tr')).display"
        )
        assert display == "table-row"

"""A ledger's verification as a donor reads it, from the ledger page's link: in Chinese,
whether the chain is intact, how many entries were checked and, if broken, from which entry on;
the JSON stays for programs — against the real PostgreSQL and NATS."""

import re
from uuid import UUID

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def donate(funds, fund_id: str, amount: int) -> None:
    body = {"amount_fen": amount, "donor_kind": "individual", "channel": "wechat"}
    assert (await funds.post(f"/funds/{fund_id}/donations", json=body)).status_code == 201


async def test_the_ledger_page_links_the_verification_as_a_page_and_as_json(public, fund):
    fund_id = await fund()
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    links = dict(re.findall(r"<a href=\"([^\"]+)\">([^<]+)</a>", page))
    assert links[f"/public/funds/{fund_id}/ledger/verify?format=html"] == "校验结果"
    assert links[f"/public/funds/{fund_id}/ledger/verify?format=json"] == "校验结果（JSON）"


async def test_an_intact_chain_is_said_so_with_how_many_entries_were_checked(funds, public, fund):
    fund_id = await fund(100_000)
    await donate(funds, fund_id, 2_000)
    response = await public(f"/public/funds/{fund_id}/ledger/verify?format=html")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "丰山社区慈善基金 收支记录校验" in page
    assert "社区：凤山街道 丰山社区" in page
    assert "哈希链完整：已校验全部 2 条记录" in page
    assert f"/public/funds/{fund_id}/ledger" in page  # back to the ledger
    assert "valid" not in page


async def test_a_broken_chain_names_its_first_broken_entry(funds, public, fund, sql):
    fund_id = await fund(100_000)
    for amount in (2_000, 3_000, 4_000):
        await donate(funds, fund_id, amount)
    await sql(
        "UPDATE funds.ledger SET amount_fen = 30000 WHERE fund_id = $1 AND sequence = 3",
        UUID(fund_id),
    )
    page = (await public(f"/public/funds/{fund_id}/ledger/verify?format=html")).text
    assert "哈希链校验失败：共 4 条记录，前 2 条校验通过，自第 3 条记录起不符" in page
    assert "（哈希与记录内容不符）" in page


async def test_a_program_still_gets_json_and_a_browser_the_page(funds, fund):
    fund_id = await fund()
    verify = f"/public/funds/{fund_id}/ledger/verify"
    assert (await funds.get(verify)).json()["valid"] is True
    assert (await funds.get(f"{verify}?format=json", headers=BROWSER)).json()["entries"] == 1
    assert "收支记录校验" in (await funds.get(verify, headers=BROWSER)).text


async def test_an_unknown_funds_verification_page_is_a_404(public):
    missing = "/public/funds/00000000-0000-4000-8000-000000000000/ledger/verify?format=html"
    assert (await public(missing)).status_code == 404

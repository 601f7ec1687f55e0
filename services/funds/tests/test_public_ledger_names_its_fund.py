"""A fund's ledger as a donor opens it: led by the fund's name and its community, not by a
UUID that means nothing to them; the id is still there, for reference, below the entries —
against the real PostgreSQL and NATS."""


async def test_a_ledger_leads_with_its_funds_name_and_community_not_its_id(public, fund):
    fund_id = await fund(name="丰山社区慈善基金")
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    head, _, foot = page.partition("<table")
    assert "丰山社区慈善基金 收支公示" in head
    assert "社区：凤山街道 丰山社区" in head
    assert fund_id not in head
    assert f"基金编号（核对用）：<code>{fund_id}</code>" in foot


async def test_an_office_wide_funds_ledger_says_it_is_not_of_one_community(funds, public):
    opened = await funds.post("/funds", json={"name": "全域社区慈善基金"})
    fund_id = opened.json()["fund_id"]
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    head, _, _ = page.partition("<table")
    assert "全域（不限社区）" in head
    assert fund_id not in head

"""The public check of one ledger entry (收支记录核对), where a donation's acknowledgement
sends its donor, against the real PostgreSQL: the entry as published, whether the chain holds
up to it, and a tampered row reported as not verifying."""

from uuid import UUID, uuid4

from wushe_service.testing import public_page


async def donate(funds, fund_id, amount, **more):
    body = {"amount_fen": amount, "donor_kind": "individual", "channel": "wechat-pay", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text


async def test_an_entry_is_shown_as_published_with_the_chain_verified_up_to_it(funds, fund, public):
    fund_id = await fund(100_000)  # entry 1: the county's donation
    await donate(funds, fund_id, 123_450, donor_name="余姚某电器有限公司", donor_kind="enterprise",
                 publish_donor_name=True)  # fmt: skip
    published = (await public(f"/public/funds/{fund_id}/ledger")).json()["entries"][1]

    answer = await public(f"/public/funds/{fund_id}/ledger/entries/2")
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["entry"] | {"occurred_at": None} == published | {"occurred_at": None}
    assert (view["name"], view["community_name"]) == ("丰山社区慈善基金", "丰山社区")
    assert (view["verified"], view["ledger_valid"], view["first_broken"]) == (True, True, None)

    page = await public_page(funds, f"/public/funds/{fund_id}/ledger/entries/2?format=html")
    assert "丰山社区慈善基金 第 2 条收支记录" in page
    assert "校验通过：自第 1 条至第 2 条记录的哈希链完整" in page
    assert published["hash"] in page
    assert "+¥1,234.50" in page
    assert "余姚某电器有限公司" in page  # the public name the ledger already gives
    assert "捐赠（微信支付）" in page
    assert "<nav class='meta site'" in page  # the public pages' navigation, as the ledger's


async def test_a_tampered_entry_does_not_verify_and_one_before_it_still_does(
    funds, fund, sql, public
):
    fund_id = await fund(100_000)
    for amount in (2_000, 3_000):
        await donate(funds, fund_id, amount)
    await sql(
        "UPDATE funds.ledger SET amount_fen = 30000 WHERE fund_id = $1 AND sequence = 2",
        UUID(fund_id),
    )
    tampered = (await public(f"/public/funds/{fund_id}/ledger/entries/2")).json()
    assert tampered["entry"]["amount_fen"] == 30_000  # shown as stored: the check says so
    assert (tampered["verified"], tampered["ledger_valid"]) == (False, False)
    assert tampered["first_broken"] == {
        "sequence": 2,
        "reason": "hash does not match the entry's content",
    }
    later = (await public(f"/public/funds/{fund_id}/ledger/entries/3")).json()
    assert later["verified"] is False
    earlier = (await public(f"/public/funds/{fund_id}/ledger/entries/1")).json()
    assert (earlier["verified"], earlier["ledger_valid"]) == (True, False)

    page = await public_page(funds, f"/public/funds/{fund_id}/ledger/entries/3?format=html")
    assert "校验失败：自第 2 条记录起哈希链不符（哈希与记录内容不符）" in page
    assert "校验通过" not in page
    first = await public_page(funds, f"/public/funds/{fund_id}/ledger/entries/1?format=html")
    assert "其后第 2 条记录校验失败" in first


async def test_an_entry_not_on_the_ledger_is_a_404_naming_it(funds, fund, public):
    fund_id = await fund(100_000)
    missing = await public(f"/public/funds/{fund_id}/ledger/entries/2")
    assert (missing.status_code, missing.json()["detail"]) == (404, "no ledger entry 2")
    page = await funds.get(
        f"/public/funds/{fund_id}/ledger/entries/2", headers={"Accept": "text/html"}
    )
    assert (page.status_code, "收支记录" in page.text) == (404, True)
    unknown = await public(f"/public/funds/{uuid4()}/ledger/entries/1")
    assert unknown.status_code == 404
    for bad in ("0", "x", str(2**31)):
        refused = await public(f"/public/funds/{fund_id}/ledger/entries/{bad}")
        assert (refused.status_code, "sequence" in refused.text) == (422, True)


async def test_a_refunded_donations_entry_leads_to_its_refunds_and_back(funds, fund, public):
    fund_id = await fund(0)
    response = await funds.post(
        f"/funds/{fund_id}/donations", json={"amount_fen": 9_000, "donor_kind": "individual"}
    )
    donation_id = response.json()["donation_id"]
    await donate(funds, fund_id, 1_000)  # entry 2: another gift, untouched
    url = f"/funds/{fund_id}/donations/{donation_id}/refund"
    for amount in (4_000, 5_000):  # entries 3 and 4
        refund = {"amount_fen": amount, "reason": "donor-request"}
        assert (await funds.post(url, json=refund)).status_code == 201

    gift = (await public(f"/public/funds/{fund_id}/ledger/entries/1")).json()
    assert (gift["refunded_in"], gift["refund_of"]) == ([3, 4], None)
    other = (await public(f"/public/funds/{fund_id}/ledger/entries/2")).json()
    assert (other["refunded_in"], other["refund_of"]) == ([], None)
    refund = (await public(f"/public/funds/{fund_id}/ledger/entries/4")).json()
    assert (refund["refunded_in"], refund["refund_of"]) == ([], 1)

    page = await public_page(funds, f"/public/funds/{fund_id}/ledger/entries/1?format=html")
    assert "这笔捐赠已退还（见" in page
    assert f"href='/public/funds/{fund_id}/ledger/entries/4'>第 4 条记录</a>" in page
    back = await public_page(funds, f"/public/funds/{fund_id}/ledger/entries/3?format=html")
    assert f"href='/public/funds/{fund_id}/ledger/entries/1'>第 1 条记录</a>的捐赠" in back
    assert "这笔捐赠已退还" not in back

"""A donation's acknowledgement (捐赠确认书), as JSON and as the printable page, against the
real PostgreSQL: a named and an unnamed donor, a refunded gift, and who may print one."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from wushe_service.auth import Role

OFFICE = "余姚市社会工作服务指导中心"


@pytest.fixture
async def named_office(funds):
    """The office's name, as WUSHE_OFFICE_NAME sets it."""
    settings = funds.app.state.runtime.settings
    before, settings.office_name = settings.office_name, OFFICE
    yield
    settings.office_name = before


async def donate(funds, fund_id, amount, **more):
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


def address(fund_id, donation_id):
    return f"/funds/{fund_id}/donations/{donation_id}/acknowledgement"


async def test_a_named_donors_acknowledgement_gives_the_amount_in_capitals_and_its_entry(
    funds, fund, public, named_office
):
    fund_id = await fund(100_000)
    donation_id = await donate(
        funds,
        fund_id,
        123_450,
        donor_kind="enterprise",
        donor_name="余姚某电器有限公司",
        publish_donor_name=True,
        channel="bank-transfer",
        receipt_number="JZ-2026-0042",
    )
    entry = (await public(f"/public/funds/{fund_id}/ledger")).json()["entries"][1]

    answer = await funds.get(address(fund_id, donation_id))
    assert answer.status_code == 200, answer.text
    sheet = answer.json()
    today = datetime.now(UTC).astimezone(funds.app.state.runtime.settings.zone())
    assert sheet | {"received_at": None} == sheet | {
        "donation_id": donation_id,
        "fund_id": fund_id,
        "fund_name": "丰山社区慈善基金",
        "issuer": OFFICE,
        "donor": "余姚某电器有限公司",
        "donor_named": True,
        "donor_kind": "enterprise",
        "amount_fen": 123_450,
        "amount_yuan": "1234.50",
        "amount_in_capitals": "人民币壹仟贰佰叁拾肆元伍角整",
        "received_at": None,
        "received_on": f"{today.year}年{today.month}月{today.day}日",
        "zone": "北京时间",
        "channel": "bank-transfer",
        "channel_words": "银行转账",
        "receipt_number": "JZ-2026-0042",
        "state": "received",
        "refunded_fen": 0,
        "refunds": [],
        "standing_fen": 123_450,
        "ledger_entry": {"sequence": 2, "hash": entry["hash"]},
        "ledger_url": f"http://testserver/public/funds/{fund_id}/ledger",
        "verify_url": f"http://testserver/public/funds/{fund_id}/ledger/entries/2",
    }
    # The address it prints is the entry's public check, answered without login.
    checked = await public(sheet["verify_url"].removeprefix("http://testserver"))
    assert (checked.status_code, checked.json()["entry"]["hash"]) == (200, entry["hash"])

    page = await funds.get(address(fund_id, donation_id), params={"format": "html"})
    assert page.status_code == 200
    assert "<h1>捐赠确认书</h1>" in page.text
    for shown in (
        OFFICE,
        "余姚某电器有限公司：",
        "人民币壹仟贰佰叁拾肆元伍角整",
        "¥1,234.50",
        "（北京时间）",
        "银行转账",
        "JZ-2026-0042",
        "第 2 条",
        entry["hash"],
        sheet["verify_url"],
        "<svg",
        "衷心感谢",
    ):
        assert shown in page.text, shown
    assert "已退还" not in page.text
    assert "<nav" not in page.text  # a sheet to print: no navigation
    assert "size: A4" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # falls back to none: no script at all


async def test_an_unnamed_donor_is_a_kind_of_giver_and_their_name_is_nowhere(funds, fund, sql):
    fund_id = await fund(0)
    person = await donate(funds, fund_id, 5_004, donor_name="王秀英")  # no consent
    company = await donate(funds, fund_id, 10_000_000_000, donor_kind="enterprise")

    sheet = (await funds.get(address(fund_id, person))).json()
    assert (sheet["donor"], sheet["donor_named"]) == ("爱心人士", False)
    assert sheet["amount_in_capitals"] == "人民币伍拾元零肆分"
    assert (sheet["channel"], sheet["receipt_number"]) == (None, None)
    page = (await funds.get(address(fund_id, person), headers={"Accept": "text/html"})).text
    assert "爱心人士：" in page
    assert "王秀英" not in page
    assert page.count("未登记") == 2  # the channel and the receipt number (its head: 确认书编号)

    big = (await funds.get(address(fund_id, company))).json()
    assert (big["donor"], big["amount_in_capitals"]) == ("爱心企业", "人民币壹亿元整")
    assert big["ledger_entry"]["sequence"] == 2


async def test_a_refunded_donation_says_so_and_when_and_why(funds, fund):
    fund_id = await fund(0)
    whole = await donate(funds, fund_id, 50_000, channel="wechat-pay")
    part = await donate(funds, fund_id, 30_000)
    url = f"/funds/{fund_id}/donations"
    refund = {"amount_fen": 50_000, "reason": "duplicate-payment", "note": "同一笔转了两次"}
    assert (await funds.post(f"{url}/{whole}/refund", json=refund)).status_code == 201
    refund = {"amount_fen": 10_000, "reason": "donor-request"}
    assert (await funds.post(f"{url}/{part}/refund", json=refund)).status_code == 201

    sheet = (await funds.get(address(fund_id, whole))).json()
    assert (sheet["state"], sheet["refunded_fen"], sheet["standing_fen"]) == ("refunded", 50_000, 0)
    assert [(r["amount_fen"], r["reason"], r["reason_words"]) for r in sheet["refunds"]] == [
        (50_000, "duplicate-payment", "重复付款")
    ]
    page = (await funds.get(address(fund_id, whole), params={"format": "html"})).text
    assert "<h1>捐赠确认书（已退还）</h1>" in page
    assert "已退还：本笔捐赠已全额退还捐赠人，本确认书不作为捐赠凭证。" in page
    assert "退还伍佰元整（¥500.00），原因：重复付款" in page
    assert sheet["refunds"][0]["refunded_on"] in page
    assert "该笔捐赠已全额退还" in page
    assert "衷心感谢" not in page  # never thanked as if the gift stood
    assert "同一笔转了两次" not in page  # the staff's note stays with the staff

    partly = (await funds.get(address(fund_id, part), params={"format": "html"})).text
    assert "部分已退还" in partly
    assert "其中壹佰元整已退还，本基金实收人民币贰佰元整（¥200.00）" in partly


async def test_only_fund_staff_print_it_and_a_wrong_donation_is_a_404(
    funds, fund, token_for, public
):
    fund_id, other = await fund(100), await fund(100, name="江滨社区慈善基金")
    donation_id = await donate(funds, fund_id, 1_000)
    url = address(fund_id, donation_id)
    for role, status in [("auditor", 200), ("fund_manager", 200), ("reviewer", 403)]:
        response = await funds.get(url, headers=await token_for(Role(role)))
        assert response.status_code == status, (role, response.text)
    assert (await public(url)).status_code == 401
    assert (await funds.get(address(other, donation_id))).status_code == 404  # not that fund's
    assert (await funds.get(address(fund_id, uuid4()))).status_code == 404
    assert (await funds.get(address(uuid4(), donation_id))).status_code == 404
    bad = await funds.get(f"/funds/{fund_id}/donations/not-an-id/acknowledgement")
    assert (bad.status_code, "donation_id" in bad.text) == (422, True)


async def test_the_addresses_it_prints_are_the_public_ones_the_office_gave(funds, fund):
    fund_id = await fund(0)
    donation_id = await donate(funds, fund_id, 100)
    settings = funds.app.state.runtime.settings
    before, settings.public_urls = (
        settings.public_urls,
        {"funds": "https://wushe.yuyao.gov.cn/funds"},
    )
    try:
        sheet = (await funds.get(address(fund_id, donation_id))).json()
        page = (await funds.get(address(fund_id, donation_id), params={"format": "html"})).text
    finally:
        settings.public_urls = before
    public = f"https://wushe.yuyao.gov.cn/funds/public/funds/{fund_id}/ledger"
    assert (sheet["ledger_url"], sheet["verify_url"]) == (public, f"{public}/entries/1")
    assert f"{public}/entries/1" in page
    assert "testserver" not in page

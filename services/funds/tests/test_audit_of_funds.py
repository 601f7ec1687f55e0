"""审计查询 on the funds service: its events only — it keeps no personal data, so its page has
no read log and its API no /audit/personal-data."""

from wushe_service.auth import Role
from wushe_service.testing import office_today


async def test_the_funds_audit_lists_its_events_and_its_page_no_read_log(funds, fund, token_for):
    fund_id = await fund()
    auditor = await token_for(Role.auditor)
    today = office_today()
    [opened] = (
        await funds.get(f"/audit?from={today}&to={today}&type=funds.fund.opened", headers=auditor)
    ).json()["items"]
    assert (opened["type_name"], opened["aggregate_name"], opened["aggregate_id"]) == (
        "设立基金",
        "基金",
        fund_id,
    )
    sheet = await funds.get("/audit.csv", headers=auditor)
    assert sheet.content.startswith("\ufeff".encode())
    assert "设立基金" in sheet.text
    assert (await funds.get("/audit/personal-data", headers=auditor)).status_code == 404

    anonymous = {"Authorization": "", "Accept": "text/html"}
    page = await funds.get("/audit", headers=anonymous)
    assert "<title>审计查询</title>" in page.text
    assert '"reads":false' in page.text
    assert '"service_name":"慈善基金与微创投"' in page.text

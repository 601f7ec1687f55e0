"""审计查询 on the volunteers service: the same shared API and page as the needs service's,
over its own read log and events."""

import csv
import io

from wushe_service.auth import Role
from wushe_service.testing import office_today


async def test_a_coordinators_read_of_a_volunteer_is_in_the_auditors_log_and_csv(
    volunteers, volunteer, token_for
):
    vid = await volunteer()
    coordinator = await token_for(Role.coordinator, "陈协调")
    await volunteers.get(f"/volunteers/{vid}", headers=coordinator)
    auditor = await token_for(Role.auditor)

    today = office_today()
    period = f"from={today}&to={today}"
    [read] = (
        await volunteers.get(f"/audit/personal-data?{period}&subject_id={vid}", headers=auditor)
    ).json()["items"]
    assert (read["reader_name"], read["purpose_name"]) == ("陈协调", "查看志愿者档案")
    [registered] = (
        await volunteers.get(
            f"/audit?{period}&type=volunteers.volunteer.registered", headers=auditor
        )
    ).json()["items"]
    assert (registered["type_name"], registered["aggregate_id"]) == ("登记志愿者", vid)

    sheet = await volunteers.get(f"/audit/personal-data.csv?{period}", headers=auditor)
    assert sheet.content.startswith("\ufeff".encode())
    [_, row] = list(csv.reader(io.StringIO(sheet.text.removeprefix("\ufeff"))))
    assert row[1:3] == ["陈协调", "志愿服务协调员"]
    assert "13912345678" not in sheet.text


async def test_a_browser_without_a_token_is_given_the_page_with_both_lists(volunteers):
    anonymous = {"Authorization": ""}  # the test client's admin token, left off
    page = await volunteers.get("/audit", headers={**anonymous, "Accept": "text/html"})
    assert page.status_code == 200
    assert "<title>审计查询</title>" in page.text
    assert '"reads":true' in page.text
    assert '"volunteers.hours.verified":"认定服务时长"' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert (await volunteers.get("/audit", headers=anonymous)).status_code == 401  # a program

"""审计查询 over the API: the read log and the events of a period, filtered, paged and as CSV,
for auditors and admins only; never a resident's personal data."""

import csv
import io
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from wushe_events.catalogue import event_types
from wushe_service.audit_words import EVENTS, short_type
from wushe_service.auth import Role
from wushe_service.testing import office_today


async def test_a_social_workers_read_of_a_resident_is_in_the_auditors_log(
    needs, token_for, resident
):
    resident_id = await resident()
    person = uuid4()
    social_worker = await token_for(Role.social_worker, "李社工", person=person)
    shown = await needs.get(f"/residents/{resident_id}", headers=social_worker)
    assert shown.json()["personal_data"]["name"] == "王秀英"

    auditor = await token_for(Role.auditor)
    today = office_today()
    period = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    found = await needs.get(f"/audit/personal-data?{period}&person={person}", headers=auditor)
    assert found.status_code == 200, found.text
    [read] = found.json()["items"]
    assert (read["subject_id"], read["reader_name"], read["reader_role"]) == (
        resident_id,
        "李社工",
        "social_worker",
    )
    assert read["purpose_name"] == "查看居民档案"
    assert read["reader_person_id"] == str(person)
    read_at = datetime.fromisoformat(read["read_at"])
    assert abs(datetime.now(UTC) - read_at) < timedelta(minutes=5)
    assert "王秀英" not in found.text

    by_subject = await needs.get(f"/audit/personal-data?subject_id={uuid4()}", headers=auditor)
    assert by_subject.json()["items"] == []
    long_ago = "from=2020-01-01&to=2020-12-31"
    before = await needs.get(f"/audit/personal-data?{long_ago}", headers=auditor)
    assert before.json()["items"] == []


async def test_the_events_of_a_period_say_in_chinese_what_was_done_and_by_whom(
    needs, token_for, resident
):
    social_worker = await token_for(Role.social_worker, "张社工")
    made = await needs.post(
        "/communities",
        headers=social_worker,
        json={"community_id": "lanjiang", "name": "兰江社区", "street": "兰江街道"},
    )
    assert made.status_code == 201
    await resident()
    auditor = await token_for(Role.auditor)

    today = office_today()
    found = await needs.get(
        f"/audit?from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
        "&type=needs.community.registered",
        headers=auditor,
    )
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert [(e["aggregate_id"], e["type_name"], e["actor_name"]) for e in items] == [
        ("fengshan", "登记社区", "bootstrap-admin"),  # newest first: with the resident
        ("lanjiang", "登记社区", "张社工"),
    ]
    full = await needs.get("/audit?type=wushe.needs.resident.registered.v1", headers=auditor)
    [registered] = full.json()["items"]
    assert (registered["type_name"], registered["aggregate_name"]) == ("登记居民", "居民")
    tomorrow = today + timedelta(days=1)
    later = await needs.get(f"/audit?from={tomorrow}&to={tomorrow}", headers=auditor)
    assert later.json()["items"] == []


async def test_the_read_log_pages_through_every_read_once(needs, token_for, resident):
    resident_id = await resident()
    social_worker = await token_for(Role.social_worker)
    for _ in range(3):
        await needs.get(f"/residents/{resident_id}", headers=social_worker)
    auditor = await token_for(Role.auditor)
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await needs.get(f"/audit/personal-data?{query}", headers=auditor)).json()
        seen += [r["read_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3
    assert seen == sorted(seen, reverse=True)


async def test_the_csv_files_open_in_excel_and_hold_no_personal_data(needs, token_for, resident):
    resident_id = await resident()
    social_worker = await token_for(Role.social_worker, "=HYPERLINK(1)")
    await needs.get(f"/residents/{resident_id}", headers=social_worker)
    auditor = await token_for(Role.auditor)

    today = office_today()
    reads = await needs.get(f"/audit/personal-data.csv?from={today}&to={today}", headers=auditor)
    assert reads.status_code == 200, reads.text
    assert reads.headers["content-type"].startswith("text/csv")
    assert reads.content.startswith("\ufeff".encode())
    assert f"reads-{today}-{today}.csv" in reads.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(reads.text.removeprefix("\ufeff"))))
    assert rows[0][0].startswith("查阅时间")
    [row] = rows[1:]
    assert row[1] == "'=HYPERLINK(1)"  # a formula to Excel is kept as text
    assert row[5] == resident_id
    assert "查看居民档案" in row

    trail = await needs.get("/audit.csv", headers=auditor)
    assert trail.content.startswith("\ufeff".encode())
    text = trail.text
    assert "登记居民" in text
    assert "登记社区" in text
    for personal in ("王秀英", "11010519491231002X", "13812345678", "丰山社区3幢", "独居"):
        assert personal not in reads.text + text


async def test_only_auditors_and_admins_read_the_audit(needs, token_for):
    for role in (Role.social_worker, Role.coordinator, Role.viewer, Role.volunteer):
        headers = await token_for(role, person=uuid4())
        for path in ("/audit", "/audit.csv", "/audit/personal-data", "/audit/personal-data.csv"):
            refused = await needs.get(path, headers=headers)
            assert refused.status_code == 403, (role, path, refused.text)
    for path in ("/audit", "/audit/personal-data.csv"):
        assert (await needs.get(path, headers=await token_for(Role.admin))).status_code == 200


async def test_a_reversed_period_is_one_422_that_says_so(needs, token_for):
    auditor = await token_for(Role.auditor)
    for path in ("/audit", "/audit.csv", "/audit/personal-data", "/audit/personal-data.csv"):
        refused = await needs.get(f"{path}?from=2026-12-07&to=2026-12-01", headers=auditor)
        assert refused.status_code == 422, (path, refused.text)
        [error] = refused.json()["errors"]
        assert (error["field"], error["type"]) == ("query.from", "period_reversed")
        assert "reversed" in error["message"]
        assert "2026-12-07" in error["message"]


async def test_a_bad_date_or_type_is_a_422_naming_it(needs, token_for):
    auditor = await token_for(Role.auditor)
    bad_day = await needs.get("/audit/personal-data?to=2026-02-30", headers=auditor)
    assert bad_day.status_code == 422
    assert [e["field"] for e in bad_day.json()["errors"]] == ["query.to"]
    other_service = await needs.get("/audit?type=funds.fund.opened", headers=auditor)
    assert other_service.status_code == 422
    assert [e["field"] for e in other_service.json()["errors"]] == ["query.type"]


def test_every_event_type_has_its_words():
    assert {short_type(t) for t in event_types()} == set(EVENTS)


async def test_the_first_and_last_days_of_the_calendar_are_periods_like_any(needs, token_for):
    auditor = await token_for(Role.auditor)
    for path in ("/audit", "/audit.csv", "/audit/personal-data", "/audit/personal-data.csv"):
        answer = await needs.get(f"{path}?from=0001-01-01&to=9999-12-31", headers=auditor)
        assert answer.status_code == 200, (path, answer.text)

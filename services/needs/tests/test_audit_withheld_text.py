"""审计查询 withholds the text people typed (a wish's title) from its lists, JSON and CSV, saying
which field and how long; the auditor opens one event to read it, and that opening is in the
read log as a showing of the resident's personal data."""

import csv
import io
from uuid import uuid4

from wushe_service.auth import Role

TITLE = "给独居老人买一台收音机"


async def _posted(needs, resident, wish_body) -> tuple[str, str]:
    resident_id = await resident()
    posted = await needs.post("/wishes", json=wish_body(title=TITLE, resident_id=resident_id))
    assert posted.status_code == 201, posted.text
    return resident_id, posted.json()["wish_id"]


async def test_the_list_and_its_csv_say_a_title_was_withheld_not_what_it_said(
    needs, token_for, resident, wish_body
):
    _, wish_id = await _posted(needs, resident, wish_body)
    auditor = await token_for(Role.auditor)

    listed = await needs.get("/audit?type=needs.wish.posted", headers=auditor)
    [event] = listed.json()["items"]
    assert event["aggregate_id"] == wish_id
    assert "title" not in event["data"]
    assert event["data"]["estimated_value_fen"] == 15_000  # what is not text stays
    assert event["withheld"] == {"title": len(TITLE)}
    assert TITLE not in listed.text

    as_csv = await needs.get("/audit.csv?type=needs.wish.posted", headers=auditor)
    assert TITLE not in as_csv.text
    heading, row = list(csv.reader(io.StringIO(as_csv.text.removeprefix("\ufeff"))))
    assert heading[-1] == "隐去的文字（审计查询中逐条查看）"
    assert row[-1] == f"标题（{len(TITLE)}字）"

    others = await needs.get("/audit?type=needs.resident.registered", headers=auditor)
    assert [e["withheld"] for e in others.json()["items"]] == [{}]


async def test_an_auditor_opens_one_event_and_the_opening_is_read_logged(
    needs, token_for, resident, wish_body
):
    resident_id, _ = await _posted(needs, resident, wish_body)
    auditor = await token_for(Role.auditor, "市审计局")
    auditor_id = (await needs.get("/me", headers=auditor)).json()["token_id"]
    [event] = (await needs.get("/audit?type=needs.wish.posted", headers=auditor)).json()["items"]

    opened = await needs.get(f"/audit/events/{event['event_id']}", headers=auditor)

    assert opened.status_code == 200, opened.text
    assert opened.json()["data"]["title"] == TITLE
    assert opened.json()["withheld"] == {"title": len(TITLE)}
    reads = await needs.get(f"/audit/personal-data?reader={auditor_id}", headers=auditor)
    [read] = reads.json()["items"]
    assert (read["subject_id"], read["purpose"]) == (resident_id, "audit event: title")
    assert read["purpose_name"] == "审计查看操作记录原文（标题）"
    assert read["reader_name"] == "市审计局"


async def test_opening_an_event_without_text_logs_no_read(needs, token_for, resident):
    await resident()
    auditor = await token_for(Role.auditor)
    auditor_id = (await needs.get("/me", headers=auditor)).json()["token_id"]
    [event] = (await needs.get("/audit?type=needs.resident.registered", headers=auditor)).json()[
        "items"
    ]

    opened = await needs.get(f"/audit/events/{event['event_id']}", headers=auditor)

    assert opened.status_code == 200, opened.text
    assert opened.json()["withheld"] == {}
    reads = await needs.get(f"/audit/personal-data?reader={auditor_id}", headers=auditor)
    assert reads.json()["items"] == []


async def test_only_an_auditor_or_admin_opens_an_event_and_only_one_there_is(
    needs, token_for, resident, wish_body
):
    await _posted(needs, resident, wish_body)
    auditor = await token_for(Role.auditor)
    [event] = (await needs.get("/audit?type=needs.wish.posted", headers=auditor)).json()["items"]
    path = f"/audit/events/{event['event_id']}"

    assert (await needs.get(path, headers={"Authorization": ""})).status_code == 401
    social_worker = await token_for(Role.social_worker, person=uuid4())
    refused = await needs.get(path, headers=social_worker)
    assert refused.status_code == 403
    assert TITLE not in refused.text
    missing = await needs.get(f"/audit/events/{uuid4()}", headers=auditor)
    assert missing.status_code == 404
    assert "needs" in missing.json()["detail"]
    assert (await needs.get("/audit/events/not-an-id", headers=auditor)).status_code == 422

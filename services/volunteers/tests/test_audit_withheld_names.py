"""审计查询 on the volunteers service: a volunteer's public name is withheld from 操作记录, and
an auditor who opens the event is in 查阅记录 as having been shown that volunteer's data."""

from wushe_service.auth import Role

NAME = "李志愿者"


async def test_a_volunteers_public_name_is_withheld_and_its_opening_read_logged(
    volunteers, volunteer, token_for
):
    volunteer_id = await volunteer(display_name=NAME, show_name_publicly=True)
    auditor = await token_for(Role.auditor)
    auditor_id = (await volunteers.get("/me", headers=auditor)).json()["token_id"]

    listed = await volunteers.get("/audit?type=volunteers.volunteer.registered", headers=auditor)
    [event] = listed.json()["items"]
    assert event["withheld"] == {"display_name": len(NAME)}
    assert NAME not in listed.text
    as_csv = await volunteers.get(
        "/audit.csv?type=volunteers.volunteer.registered", headers=auditor
    )
    assert NAME not in as_csv.text
    assert "公开称呼（4字）" in as_csv.text

    opened = await volunteers.get(f"/audit/events/{event['event_id']}", headers=auditor)

    assert opened.json()["data"]["display_name"] == NAME
    reads = await volunteers.get(f"/audit/personal-data?reader={auditor_id}", headers=auditor)
    [read] = reads.json()["items"]
    assert (read["subject_id"], read["purpose"]) == (volunteer_id, "audit event: display_name")
    assert read["purpose_name"] == "审计查看操作记录原文（公开称呼）"

"""审计查询 on the funds service: a project's title, summary and budget lines' items are
withheld from 操作记录, its amounts and theme shown; an auditor opens the event to read them
(funds keeps no read log, so nothing is read-logged there)."""

from wushe_service.auth import Role

TITLE = "银龄互助小组"
SUMMARY = "为独居老人组织每周互助活动"


async def test_a_projects_words_are_withheld_and_opened_one_event_at_a_time(
    funds, fund, grant_round, submitted, token_for
):
    round_id = await grant_round(await fund())
    application_id = await submitted(round_id, TITLE)
    auditor = await token_for(Role.auditor)

    listed = await funds.get("/audit?type=funds.application.submitted", headers=auditor)
    [event] = listed.json()["items"]
    assert event["aggregate_id"] == application_id
    assert event["withheld"] == {
        "title": len(TITLE),
        "summary": len(SUMMARY),
        "budget_lines.0.item": len("活动物资"),
    }
    assert event["data"]["budget_lines"] == [{"amount_fen": 200_000}]
    assert event["data"]["theme"] == "elderly-care"
    for words in (TITLE, SUMMARY, "活动物资"):
        assert words not in listed.text
    as_csv = await funds.get("/audit.csv?type=funds.application.submitted", headers=auditor)
    assert "标题（6字）；项目简介（13字）；预算明细第1项（4字）" in as_csv.text
    assert TITLE not in as_csv.text

    opened = await funds.get(f"/audit/events/{event['event_id']}", headers=auditor)

    assert opened.status_code == 200, opened.text
    assert (opened.json()["data"]["title"], opened.json()["data"]["summary"]) == (TITLE, SUMMARY)
    assert (await funds.get("/audit/personal-data", headers=auditor)).status_code == 404

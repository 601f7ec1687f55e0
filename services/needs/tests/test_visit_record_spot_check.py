"""A spot check's record sheet, and the sheet of the visit it checked, say which survey the
other is as paper can — its day and time, method and maker — not by its id alone, which
nobody can look up at a desk — against the real PostgreSQL and NATS."""

from uuid import uuid4

from wushe_service.auth import Role

PAGE = {"format": "html"}


async def test_a_spot_check_and_the_visit_it_checked_name_each_other_by_day_and_maker(
    needs, resident, levels, token_for
):
    someone = await resident()
    wang = await token_for(Role.social_worker, "王芳", person=uuid4())
    li = await token_for(Role.social_worker, "李督导", person=uuid4())
    visit = {
        "resident_id": someone,
        "method": "home_visit",
        "dimensions": levels,
        "surveyed_at": "2026-01-06T01:30:00Z",  # 09:30 in Shanghai
    }
    visited = await needs.post("/surveys", json=visit, headers=wang)
    assert visited.status_code == 201, visited.text
    visit_id = visited.json()["survey_id"]
    check = {
        **visit,
        "method": "spot_check",
        "surveyed_at": "2026-01-08T06:00:00Z",  # 14:00 in Shanghai
        "verifies_survey_id": visit_id,
    }
    checked = await needs.post("/surveys", json=check, headers=li)
    assert checked.status_code == 201, checked.text
    check_id = checked.json()["survey_id"]

    sheet = await needs.get(f"/surveys/{check_id}", params=PAGE, headers=wang)
    assert sheet.status_code == 200, sheet.text
    assert (
        f"<th>抽查的调研</th><td>2026年01月06日 09:30 入户走访（走访人 王芳；调研编号 {visit_id}）"
        "</td>"
    ) in sheet.text

    sheet = await needs.get(f"/surveys/{visit_id}", params=PAGE, headers=wang)
    assert (
        f"<th>随机抽查</th><td>2026年01月08日 14:00 随机抽查（抽查人 李督导；调研编号 {check_id}）"
        "：无出入</td>"
    ) in sheet.text

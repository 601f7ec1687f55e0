"""A visit record's notes past 2000 characters fail as any text does (`string_too_long`,
"at most 2000 characters"), changing nothing; and the workbench's boxes take what the API
takes, no more, no less."""

from wushe_needs.commands.residents import RegisterResident
from wushe_needs.commands.surveys import NeedRequest, RecordSurvey, ResolveNeed
from wushe_service.testing import input_limits, max_length


def _the_error(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {"field": field, "message": "at most 2000 characters", "type": "string_too_long"}
    ]


async def test_notes_past_their_cap_fail_as_any_text_does(
    needs, resident, surveyed, levels, count_events
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("repair", "material", "low"))
    before = await count_events()

    visit = {"resident_id": rid, "method": "home_visit", "dimensions": levels}
    _the_error(await needs.post("/surveys", json={**visit, "notes": "轮" * 2001}), "notes")
    found = {"category": "repair", "dimension": "physical", "notes": "轮" * 2001}
    _the_error(await needs.post("/surveys", json={**visit, "needs": [found]}), "needs.0.notes")
    resolve = {"outcome": "resolved", "reason": "service-provided", "notes": "轮" * 2001}
    _the_error(await needs.post(f"/needs/{need_id}/resolve", json=resolve), "notes")
    assert await count_events() == before
    assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"

    taken = await needs.post("/surveys", json={**visit, "notes": "轮" * 2000})
    assert taken.status_code == 201, taken.text


async def test_the_workbench_s_notes_boxes_hold_what_the_api_takes(needs):
    page = await needs.get("/workbench")
    assert page.status_code == 200, page.text
    limits = input_limits(page.text)

    assert limits["survey-form", "notes"] == max_length(RecordSurvey, "notes") == 2000
    assert limits["end-form", "notes"] == max_length(ResolveNeed, "notes")
    assert limits["register-form", "notes"] == max_length(RegisterResident, "notes")
    # A found need's box is drawn by the script.
    script = await needs.get("/static/workbench/workbench.js")
    assert script.status_code == 200, script.text
    cap = max_length(NeedRequest, "notes")
    assert f'{{ name: "need-notes", maxlength: "{cap}",' in script.text

"""A resident's case file (个案档案): everything recorded about them, in order."""

from uuid import uuid4

from wushe_service.auth import Role


async def test_the_timeline_holds_the_residents_surveys_needs_and_wishes_in_order(
    needs, resident, surveyed, wish_body, known_volunteer, token_for
):
    rid = await resident(consent={"given_by": "self"})
    [need_id] = await surveyed(rid, ("meal-delivery", "material", "high"))
    wish_id = (await needs.post("/wishes", json=wish_body(need_id=need_id))).json()["wish_id"]
    claimed = await needs.post(
        f"/wishes/{wish_id}/claim", json={"claimant_id": await known_volunteer("李志愿者")}
    )
    assert claimed.status_code == 200, claimed.text
    await needs.post("/wishes", json=wish_body())  # someone else's: not in the file

    auditor = await token_for(Role.auditor)
    items = (await needs.get(f"/residents/{rid}/timeline", headers=auditor)).json()["items"]
    assert [i["type"].removeprefix("wushe.needs.").removesuffix(".v1") for i in items] == [
        "resident.registered",
        "consent.granted",
        "survey.recorded",
        "need.identified",
        "wish.posted",
        "need.matched",
        "wish.claimed",
    ]
    assert items[-1]["data"]["claimant_display"] == "李志愿者"
    assert {i["aggregate_id"] for i in items if i["aggregate"] == "wish"} == {wish_id}
    assert "王秀英" not in str(items)

    first = (await needs.get(f"/residents/{rid}/timeline?limit=4", headers=auditor)).json()
    rest = await needs.get(
        f"/residents/{rid}/timeline?limit=4&cursor={first['next_cursor']}", headers=auditor
    )
    assert first["items"] + rest.json()["items"] == items
    missing = await needs.get(f"/residents/{uuid4()}/timeline", headers=auditor)
    assert missing.status_code == 404

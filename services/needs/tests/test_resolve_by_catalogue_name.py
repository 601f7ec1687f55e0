"""Ending a need takes the catalogue's name for how it ended, `resolution` (DESIGN §5), as well
as `outcome`."""

RESOLVED = "wushe.needs.need.resolved.v1"


async def open_need(needs, resident, surveyed) -> str:
    [need_id] = await surveyed(await resident(), ("repair", "material", "low"))
    return need_id


async def resolutions(sql, need_id: str) -> list[str]:
    rows = await sql(
        "SELECT data->>'resolution' FROM needs.events WHERE event_type = $1 AND aggregate_id = $2",
        RESOLVED,
        need_id,
    )
    return [row[0] for row in rows]


async def test_a_need_ended_with_resolution_is_recorded_as_it_says(needs, resident, surveyed, sql):
    need_id = await open_need(needs, resident, surveyed)
    ended = await needs.post(
        f"/needs/{need_id}/resolve", json={"resolution": "closed", "reason": "moved-away"}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["state"] == "closed"
    assert await resolutions(sql, need_id) == ["closed"]


async def test_outcome_is_taken_as_before(needs, resident, surveyed, sql):
    need_id = await open_need(needs, resident, surveyed)
    ended = await needs.post(
        f"/needs/{need_id}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
    )
    assert ended.status_code == 200, ended.text
    assert await resolutions(sql, need_id) == ["resolved"]


async def test_both_names_at_once_are_a_422_and_change_nothing(
    needs, resident, surveyed, sql, count_events
):
    need_id = await open_need(needs, resident, surveyed)
    before = await count_events()
    refused = await needs.post(
        f"/needs/{need_id}/resolve",
        json={"outcome": "resolved", "resolution": "closed", "reason": "moved-away"},
    )
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["resolution"]
    assert await count_events() == before
    assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"


async def test_neither_is_a_422_naming_outcome(needs, resident, surveyed, count_events):
    need_id = await open_need(needs, resident, surveyed)
    before = await count_events()
    refused = await needs.post(f"/needs/{need_id}/resolve", json={"reason": "moved-away"})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["outcome"]
    assert await count_events() == before

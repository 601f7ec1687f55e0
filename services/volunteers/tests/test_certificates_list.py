"""The certificates issued to a volunteer, a page at a time as every list (`limit`, `cursor`,
`{items, next_cursor}`), the latest first; a volunteer never registered is a 404, one without
a certificate an empty list."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from wushe_service.auth import Role
from wushe_volunteers.commands.hours import issue_certificate

from .test_hours import attended, pending_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _verified(volunteers, runtime, team, volunteer) -> str:
    team_id, coordinator = await team()
    who = await volunteer()
    await attended(runtime, UUID(team_id), UUID(who))
    [record] = await pending_of(volunteers, who)
    verified = await volunteers.post(
        f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
    )
    assert verified.status_code == 200, verified.text
    return who


async def test_certificates_are_listed_a_page_at_a_time_the_latest_first(
    volunteers, runtime, team, volunteer
):
    who = await _verified(volunteers, runtime, team, volunteer)
    earlier = datetime.now(UTC) - timedelta(days=2)
    later = earlier + timedelta(days=1)
    issued = [
        await issue_certificate(runtime.store, UUID(who), "TEST", when, SHANGHAI)
        for when in (earlier, later, later)  # two at one instant: the id orders them
    ]
    expected = [str(i) for i in sorted(issued[1:], reverse=True)] + [str(issued[0])]

    url = f"/volunteers/{who}/certificates"
    first = await volunteers.get(url, params={"limit": 2})
    assert first.status_code == 200, first.text
    assert first.json()["next_cursor"]
    second = await volunteers.get(url, params={"limit": 2, "cursor": first.json()["next_cursor"]})
    assert second.status_code == 200, second.text
    assert second.json()["next_cursor"] is None

    pages = [*first.json()["items"], *second.json()["items"]]
    assert [c["certificate_id"] for c in pages] == expected
    assert {c["valid"] for c in pages} == {True}
    # What the workbench and the volunteer's page read is where it was.
    [latest] = (await volunteers.get(url, params={"limit": 1})).json()["items"]
    assert latest["certificate_id"] == expected[0]
    assert set(latest) >= {"number", "code", "issued_on", "total_hours", "valid"}


async def test_a_volunteer_without_a_certificate_has_an_empty_list(volunteers, volunteer):
    who = await volunteer()
    none_yet = await volunteers.get(f"/volunteers/{who}/certificates")
    assert none_yet.status_code == 200, none_yet.text
    assert none_yet.json() == {"items": [], "next_cursor": None}


async def test_a_volunteer_never_registered_is_a_404(volunteers):
    nobody = uuid4()
    answer = await volunteers.get(f"/volunteers/{nobody}/certificates")
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == f"no volunteer {nobody}"
    # Nor told to have one issued, as a volunteer without one is.
    latest = await volunteers.get(f"/volunteers/{nobody}/certificate")
    assert latest.status_code == 404, latest.text
    assert latest.json()["detail"] == f"no volunteer {nobody}"


async def test_a_bad_cursor_or_limit_is_a_422_naming_it(volunteers, volunteer):
    url = f"/volunteers/{await volunteer()}/certificates"
    bad_cursor = await volunteers.get(url, params={"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 422, bad_cursor.text
    assert bad_cursor.json()["detail"].startswith("cursor:")  # as every list says it
    too_many = await volunteers.get(url, params={"limit": 101})
    assert too_many.status_code == 422, too_many.text
    assert [e["field"] for e in too_many.json()["errors"]] == ["query.limit"]


async def test_a_volunteer_reads_only_their_own_even_of_someone_never_registered(
    volunteers, volunteer, token_for
):
    who = await volunteer()
    as_them = await token_for(Role.volunteer, person=who)
    own = await volunteers.get(f"/volunteers/{who}/certificates", headers=as_them)
    assert own.status_code == 200, own.text
    # Not a 404: whether an id is a volunteer's is not theirs to learn.
    other = await volunteers.get(f"/volunteers/{uuid4()}/certificates", headers=as_them)
    assert other.status_code == 403, other.text

"""End to end: HTTP commands → events on NATS → the reporting figures (real processes)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import jsonschema
import pytest
from nats.js import JetStreamContext

from wushe_events.envelope import parse
from wushe_events.schemas import envelope_schema, schema_of
from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until
from wushe_service.identity import check_digit

from .conftest import ADMIN_TOKEN, RunningOffice

pytestmark = pytest.mark.e2e

PERSONAL = {
    "name": "欧阳秀兰",
    "id_number": "330281194402155122",
    "phone": "13857400123",
    "address": "凤山街道梅园路88号",
    "notes": "女儿在外地，每周电话一次",
}
# Another resident of the same kind: one ID number is one resident.
NEIGHBOUR = {**PERSONAL, "id_number": "33028119440215513" + check_digit("33028119440215513")}
VOLUNTEER_PERSONAL = {"name": "司马志强", "phone": "13957400456"}
VISIT_NOTES = "轮椅坏了，刹车失灵，女儿下周回来"  # the visit record: sealed, never published
# Another volunteer: one phone number is one serving volunteer.
VOLUNTEER_NEIGHBOUR = {"name": "司马志远", "phone": "13957400457"}


def await_community(office: RunningOffice, community: str, timeout: float = 10.0) -> None:
    """Until the volunteers and funds services have consumed the needs service's registration
    of `community` (they refuse volunteers, funds and projects of communities unheard of)."""
    deadline = time.monotonic() + timeout
    for service in ("volunteers", "funds"):
        with office.client(service) as client:
            while client.get(f"/communities/{community}").status_code != 200:
                assert time.monotonic() < deadline, f"{community} not known to {service} in time"
                time.sleep(0.05)


def run_commands(
    office: RunningOffice,
    community: str,
    personal: dict[str, str] = PERSONAL,
    volunteer_personal: dict[str, str] = VOLUNTEER_PERSONAL,
) -> dict[str, str]:
    """One of each command of the thin slice; returns the ids."""
    with office.client("needs") as needs:
        assert (
            needs.post(
                "/communities",
                # A street has one community of a name: each test's its own.
                json={
                    "community_id": community,
                    "name": f"梅园社区{community}",
                    "street": "凤山街道",
                },
            ).status_code
            == 201
        )
        resident = needs.post(
            "/residents",
            json={
                "community_id": community,
                "groups": ["elderly_alone"],
                "birth_year": 1944,
                **personal,
            },
        )
        assert resident.status_code == 201, resident.text
        resident_id = resident.json()["resident_id"]
        survey = needs.post(
            "/surveys",
            json={
                "resident_id": resident_id,
                "method": "home_visit",
                "dimensions": {"physical": 2, "psychological": 1, "material": 0, "spiritual": 3},
                "needs": [
                    {"category": "companionship", "dimension": "spiritual", "urgency": "high"}
                ],
                "notes": VISIT_NOTES,
            },
        )
        assert survey.status_code == 201, survey.text
    await_community(office, community)
    with office.client("volunteers") as volunteers:
        volunteer = volunteers.post(
            "/volunteers",
            json={**volunteer_personal, "community_id": community, "skills": ["companionship"]},
        )
        assert volunteer.status_code == 201, volunteer.text
    with office.client("funds") as funds:
        fund = funds.post("/funds", json={"name": "梅园社区慈善基金", "community_id": community})
        assert fund.status_code == 201, fund.text
        fund_id = fund.json()["fund_id"]
        donation = funds.post(
            f"/funds/{fund_id}/donations",
            json={
                "amount_fen": 66_600,
                "donor_kind": "individual",
                "donor_name": "欧阳秀兰的邻居",
                "publish_donor_name": False,
                "channel": "wechat-pay",
            },
        )
        assert donation.status_code == 201, donation.text
    return {
        "resident_id": resident_id,
        "survey_id": survey.json()["survey_id"],
        "volunteer_id": volunteer.json()["volunteer_id"],
        "fund_id": fund_id,
    }


async def overview_of(office: RunningOffice) -> dict:
    """The office's figures, flattened to what the commands below change."""
    import httpx

    # With the admin's token: exact, as the office's staff read them; anyone else reads a
    # count of one resident withheld (WUSHE_PUBLIC_MIN_COUNT).
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(base_url=office.urls["reporting"], headers=headers) as http:
        got = (await http.get(f"/api/figures?office={office.office}")).json()
    return {
        "residents": got["residents"]["total"],
        "surveys": got["surveys"]["total"],
        "volunteers": got["volunteers"]["active"],
        "funds": got["money"]["funds"],
        "raised_fen": got["money"]["raised_fen"],
    }


EXPECTED = {"residents": 1, "surveys": 1, "volunteers": 1, "funds": 1, "raised_fen": 66_600}


async def run_and_wait_for_the_overview(
    office: RunningOffice,
    community: str,
    personal: dict[str, str] = PERSONAL,
    volunteer_personal: dict[str, str] = VOLUNTEER_PERSONAL,
) -> dict:
    """Run the commands and wait until the overview counts every one of them."""
    before = await overview_of(office)
    ids = run_commands(office, community, personal, volunteer_personal)

    async def reflected():
        # Each service has its own relay: their events arrive in no particular order.
        now = await overview_of(office)
        return now and {k: now[k] - before[k] for k in EXPECTED} == EXPECTED

    await wait_until(reflected, timeout=10, message="overview reflects every command")
    return ids


async def test_commands_become_contract_envelopes_and_reach_the_overview(
    running_office: RunningOffice,
    js: JetStreamContext,
):
    ids = await run_and_wait_for_the_overview(
        running_office, "meiyuan-a", NEIGHBOUR, VOLUNTEER_NEIGHBOUR
    )

    office = running_office.office
    messages = await stream_messages(js, stream_name(office))
    by_subject = {}
    for message in messages:
        body = json.loads(message.data)
        jsonschema.validate(body, envelope_schema())
        jsonschema.validate(body["data"], schema_of(body["type"]))
        envelope = parse(message.data)
        _, service, aggregate, event, _ = envelope.type.split(".")
        assert message.subject == f"wushe.{office}.{service}.{aggregate}.{event}"
        assert message.headers["Nats-Msg-Id"] == str(envelope.id)
        assert message.headers["Content-Type"] == "application/cloudevents+json"
        assert envelope.source == f"/offices/{office}/{service}"
        assert envelope.correlationid
        by_subject.setdefault(message.subject, []).append(envelope)
    resident = next(
        e
        for e in by_subject[f"wushe.{office}.needs.resident.registered"]
        if e.data["resident_id"] == ids["resident_id"]
    )
    assert resident.subject == f"resident/{ids['resident_id']}"
    assert resident.data["age_band"] == "80_plus"
    donation = by_subject[f"wushe.{office}.funds.donation.received"][-1]
    assert donation.subject == f"fund/{ids['fund_id']}"
    assert donation.streamversion == 2
    assert donation.data["donor_display"] is None
    for subject in (
        "needs.community.registered",
        "needs.survey.recorded",
        "volunteers.volunteer.registered",
        "funds.fund.opened",
    ):
        assert f"wushe.{office}.{subject}" in by_subject


async def test_no_personal_data_reaches_the_bus_or_the_logs(
    running_office: RunningOffice,
    js: JetStreamContext,
):
    ids = await run_and_wait_for_the_overview(running_office, "meiyuan-b")
    with running_office.client("needs") as needs:
        erased = needs.delete(f"/residents/{ids['resident_id']}/personal-data")
        assert erased.status_code == 200
        assert erased.json()["erased"] is True
        after = needs.get(f"/residents/{ids['resident_id']}").json()
        assert after["erased"] is True
        assert after["personal_data"] is None
        # Bad input carrying personal data: refused, and not echoed or logged either.
        refused = needs.post(
            "/residents",
            json={
                "community_id": "meiyuan-b",
                "groups": ["astronaut"],
                "birth_year": 1944,
                **PERSONAL,
            },
        )
        assert refused.status_code == 422
        assert PERSONAL["name"] not in refused.text
        # A search mistyped as a query string: refused, and the request line not logged.
        mistyped = needs.get(
            "/residents", params={"phone": PERSONAL["phone"], "name": PERSONAL["name"]}
        )
        assert mistyped.status_code == 422

    async def erasure_published():
        found = await stream_messages(js, stream_name(running_office.office))
        types = [json.loads(m.data)["type"] for m in found]
        return found if "wushe.needs.resident.erased.v1" in types else None

    messages = await wait_until(erasure_published, message="the erasure reaches the bus")
    on_the_bus = "\n".join(
        m.data.decode() + json.dumps(m.headers, ensure_ascii=False) for m in messages
    )
    logs = running_office.log_text()
    # The logs are there: each request by its route, not the path or query string sent.
    assert '"route":"/residents/{resident_id}"' in logs
    assert quote(PERSONAL["name"]) not in logs
    assert '"has_notes":true' in on_the_bus.replace(" ", "")  # that there is a record, no more
    for value in [*PERSONAL.values(), *VOLUNTEER_PERSONAL.values(), "欧阳秀兰的邻居", VISIT_NOTES]:
        assert value not in on_the_bus, f"{value!r} is on the bus"
        assert value not in logs, f"{value!r} is in the logs"
    assert PERSONAL["phone"][-8:] not in on_the_bus + logs


async def test_a_wish_fulfilled_by_a_volunteer_becomes_their_pending_hours(
    running_office: RunningOffice,
):
    with running_office.client("needs") as needs:
        needs.post(
            "/communities",
            json={"community_id": "meiyuan-c", "name": "梅园社区丙", "street": "凤山街道"},
        )
    await_community(running_office, "meiyuan-c")
    with running_office.client("volunteers") as volunteers:
        volunteer_id = volunteers.post(
            "/volunteers",
            json={
                "name": "欧阳志",
                "phone": "13857400999",
                "community_id": "meiyuan-c",
                "display_name": "欧阳志愿者",
                "show_name_publicly": True,
            },
        ).json()["volunteer_id"]
    deadline = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    with running_office.client("needs") as needs:
        wish_id = needs.post(
            "/wishes",
            json={
                "community_id": "meiyuan-c",
                "category": "daily-goods",
                "title": "一台电饭煲",
                "estimated_value_fen": 20_000,
                "deadline": deadline,
            },
        ).json()["wish_id"]

        async def claimed():
            response = needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer_id})
            return response.status_code == 200

        # The needs service learns of the volunteer from the volunteers service's event.
        await wait_until(claimed, message="the claim accepted once the volunteer is known")
        fulfilled = needs.post(
            f"/wishes/{wish_id}/fulfil", json={"claimant_id": volunteer_id, "hours": 1.5}
        )
        assert fulfilled.json()["state"] == "fulfilled"

    async def pending_hours():
        with running_office.client("volunteers") as volunteers:
            items = volunteers.get(f"/hours?volunteer_id={volunteer_id}").json()["items"]
        return items or None

    [record] = await wait_until(pending_hours, message="the hours reach the volunteers service")
    assert (record["source"], record["source_id"], record["hours"], record["state"]) == (
        "wish",
        wish_id,
        1.5,
        "pending",
    )


async def test_an_activity_scheduled_for_a_need_answers_it_on_the_needs_list(
    running_office: RunningOffice,
):
    with running_office.client("needs") as needs:
        needs.post(
            "/communities",
            json={"community_id": "meiyuan-d", "name": "梅园社区丁", "street": "凤山街道"},
        )
        resident = needs.post(
            "/residents",
            json={
                "community_id": "meiyuan-d",
                "groups": ["elderly_alone"],
                "birth_year": 1940,
                "name": "钱阿婆",
            },
        )
        assert resident.status_code == 201, resident.text
        survey = needs.post(
            "/surveys",
            json={
                "resident_id": resident.json()["resident_id"],
                "method": "home_visit",
                "dimensions": {"physical": 2, "psychological": 1, "material": 1, "spiritual": 1},
                "needs": [{"category": "haircut", "dimension": "physical", "urgency": "normal"}],
            },
        )
        [need_id] = survey.json()["need_ids"]
    await_community(running_office, "meiyuan-d")
    starts = datetime.now(UTC) + timedelta(days=2)
    with running_office.client("volunteers") as volunteers:
        team = volunteers.post("/teams", json={"kind": "volunteer_team", "name": "银发理发队"})
        assert team.status_code == 201, team.text
        scheduled = volunteers.post(
            "/activities",
            json={
                "team_id": team.json()["team_id"],
                "community_id": "meiyuan-d",
                "title": "上门理发",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "capacity": 4,
                "need_categories": ["理发"],
                "need_ids": [need_id],
            },
        )
        assert scheduled.status_code == 201, scheduled.text
        activity_id = scheduled.json()["activity_id"]
        assert volunteers.get(f"/activities/{activity_id}").json()["need_ids"] == [need_id]

    async def matched():
        with running_office.client("needs") as needs:
            listed = needs.get(f"/needs/{need_id}").json()
        return listed["state"] == "matched" and listed

    listed = await wait_until(matched, message="the need the activity serves is matched")
    assert (listed["match_kind"], listed["match_id"]) == ("activity", activity_id)

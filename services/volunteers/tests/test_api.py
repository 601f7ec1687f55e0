"""The volunteers API over HTTP, against the real PostgreSQL and NATS."""

import asyncio
import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import pytest

from wushe_service import testing
from wushe_service.auth import Role
from wushe_volunteers.commands import people

VOLUNTEER = {
    "name": "李明",
    "phone": "13912345678",
    "community_id": "fengshan",
    "skills": ["haircut"],
    "certification": "assistant",
    "certificate_number": "ZS2024-0001",
}


class TestVolunteers:
    async def test_a_volunteer_is_registered_with_sealed_personal_data(
        self, volunteers, database_url
    ):
        response = await volunteers.post("/volunteers", json=VOLUNTEER)
        assert response.status_code == 201, response.text
        vid = response.json()["volunteer_id"]
        view = (await volunteers.get(f"/volunteers/{vid}")).json()
        assert view["personal_data"]["phone"] == "13912345678"
        assert view["display_name"] is None
        connection = await asyncpg.connect(database_url)
        try:
            events = [
                r[0] for r in await connection.fetch("SELECT data::text FROM volunteers.events")
            ]
        finally:
            await connection.close()
        assert len(events) == 1
        assert "李明" not in events[0]
        assert "13912345678" not in events[0]

    async def test_a_viewer_sees_no_personal_data(self, volunteers, volunteer, token_for):
        vid = await volunteer()
        view = (
            await volunteers.get(f"/volunteers/{vid}", headers=await token_for(Role.viewer))
        ).json()
        assert view["personal_data"] is None

    async def test_the_read_log_records_each_showing_of_personal_data(
        self, volunteers, volunteer, token_for
    ):
        vid = await volunteer()
        as_themself = await token_for(Role.volunteer, person=vid)
        as_coordinator = await token_for(Role.coordinator)
        for reader in (as_themself, as_coordinator, await token_for(Role.viewer)):
            await volunteers.get(f"/volunteers/{vid}", headers=reader)
        as_auditor = await token_for(Role.auditor)
        url = f"/audit/personal-data?subject_id={vid}"
        log = (await volunteers.get(url, headers=as_auditor)).json()["items"]
        assert [(r["reader_role"], r["purpose"]) for r in log] == [
            ("coordinator", "volunteer record"),
            ("volunteer", "volunteer record"),
        ]  # newest first; the viewer was shown nothing
        assert "13912345678" not in str(log)
        assert (await volunteers.get(url, headers=as_themself)).status_code == 403

    async def test_a_coordinator_finds_a_volunteer_by_name_or_phone(
        self, volunteers, volunteer, token_for
    ):
        me = await volunteer()
        await volunteer(name="王协调", phone="13900000001")
        coordinator = await token_for(Role.coordinator)

        async def find(**fields):
            return await volunteers.post("/volunteers/search", json=fields, headers=coordinator)

        for fields in ({"phone": "139-1234-5678"}, {"name": "李明"}, {"name": "李 明"}):
            [found] = (await find(**fields)).json()["items"]
            assert (found["volunteer_id"], found["personal_data"]["phone"]) == (me, "13912345678")
        assert (await find(name="李明", phone="13900000001")).json()["items"] == []
        assert (await find()).status_code == 422
        landline = await volunteer(name="张固话", phone="0574-62345678")  # as residents may
        [found] = (await find(phone="0574 6234 5678")).json()["items"]
        assert (found["volunteer_id"], found["personal_data"]["phone"]) == (
            landline,
            "0574-62345678",
        )
        as_volunteer = await token_for(Role.volunteer, person=me)
        refused = await volunteers.post(
            "/volunteers/search", json={"name": "王协调"}, headers=as_volunteer
        )
        assert refused.status_code == 403

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"certification": "grandmaster"}, "certification"),
            ({"phone": "110"}, "phone"),
            ({"certificate_number": None}, "certificate_number"),
            ({"display_name": "李 139 1234 5678", "show_name_publicly": True}, "display_name"),
        ],
    )
    async def test_bad_input_is_a_422_naming_the_field(self, volunteers, change, field):
        response = await volunteers.post("/volunteers", json={**VOLUNTEER, **change})
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]

    async def test_a_suspended_volunteer_is_reactivated_and_lists_show_the_status(
        self, volunteers, volunteer
    ):
        vid = await volunteer()
        assert (await volunteers.post(f"/volunteers/{vid}/suspend")).status_code == 204
        again = await volunteers.post(f"/volunteers/{vid}/suspend")
        assert again.status_code == 409
        assert again.json()["rule"] == "volunteer_not_active"
        listed = (await volunteers.get("/volunteers?status=suspended")).json()["items"]
        assert [v["volunteer_id"] for v in listed] == [vid]
        assert (await volunteers.post(f"/volunteers/{vid}/reactivate")).status_code == 204

    async def test_registers_page_in_the_order_their_readers_look_for(self, volunteers, volunteer):
        registered = [await volunteer() for _ in range(3)]
        pages, cursor = [], None
        while True:
            query = "/volunteers?limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = (await volunteers.get(query)).json()
            pages.append([v["volunteer_id"] for v in page["items"]])
            if not (cursor := page["next_cursor"]):
                break
        assert pages == [registered[:2], registered[2:]]  # oldest first, across pages
        for name in ("志愿队乙", "志愿队甲", "A 社工站"):
            await volunteers.post("/teams", json={"kind": "volunteer_team", "name": name})
        names = [t["name"] for t in (await volunteers.get("/teams")).json()["items"]]
        assert names == sorted(names)


class TestLists:
    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("/volunteers?status=activ", "status"),
            ("/hours?state=verifed", "state"),
            ("/teams?kind=univ", "kind"),
            ("/sites?kind=station", "kind"),
            ("/activities?state=planned", "state"),
        ],
    )
    async def test_a_mistyped_filter_is_a_422_naming_it(self, volunteers, query, field):
        response = await volunteers.get(query)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [f"query.{field}"]

    async def test_filters_by_their_values(self, volunteers, volunteer, team):
        await team()
        assert len((await volunteers.get("/volunteers?status=active")).json()["items"]) == 1
        assert len((await volunteers.get("/teams?kind=volunteer_team")).json()["items"]) == 1

    async def test_teams_are_found_by_who_coordinates_them(self, volunteers, volunteer, team):
        ran, coordinator = await team(name="阳明青年志愿队")
        other, _ = await team(name="社区志愿队")
        member = await volunteer(name="李队员", phone="13900000099")
        joined = await volunteers.post(
            f"/teams/{other}/members", json={"volunteer_id": member, "role": "member"}
        )
        assert joined.status_code == 204, joined.text

        def ids(response):
            return [t["team_id"] for t in response.json()["items"]]

        assert ids(await volunteers.get(f"/teams?coordinator_id={coordinator}")) == [ran]
        assert ids(await volunteers.get(f"/teams?coordinator_id={member}")) == []  # a member only
        assert len(ids(await volunteers.get("/teams"))) == 2

    async def test_a_person_asks_only_which_teams_they_coordinate_themself(
        self, volunteers, volunteer, team, token_for
    ):
        ran, coordinator = await team(name="阳明青年志愿队")
        other, other_coordinator = await team(name="社区志愿队")
        member = await volunteer(name="李队员", phone="13900000099")
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        as_member = await token_for(Role.volunteer, person=member)
        as_staff = await token_for(Role.social_worker)

        def ids(response):
            assert response.status_code == 200, response.text
            return [t["team_id"] for t in response.json()["items"]]

        async def teams(coordinator_id, headers):
            return await volunteers.get(f"/teams?coordinator_id={coordinator_id}", headers=headers)

        assert ids(await teams(coordinator, as_coordinator)) == [ran]
        assert ids(await teams(member, as_member)) == []
        assert ids(await teams(other_coordinator, as_staff)) == [other]
        for asked, headers in ((other_coordinator, as_coordinator), (coordinator, as_member)):
            refused = await teams(asked, headers)
            assert refused.status_code == 403
            detail = refused.json()["detail"]
            assert detail.startswith("coordinator_id: only the person themself or the office's")
            assert "this token acts for" in detail
        nobody = await teams(coordinator, await token_for(Role.coordinator))
        assert nobody.status_code == 403
        assert "names none" in nobody.json()["detail"]
        # Every team, as the public resources list shows them, to anyone signed in.
        assert len(ids(await volunteers.get("/teams", headers=as_member))) == 2

    async def test_the_members_of_an_unknown_team_are_not_found(self, volunteers, team):
        team_id, _ = await team()
        assert (await volunteers.get(f"/teams/{team_id}/members")).status_code == 200
        unknown = await volunteers.get("/teams/00000000-0000-4000-8000-000000000000/members")
        assert unknown.status_code == 404

    async def test_a_teams_members_are_listed_only_to_its_coordinators_and_staff(
        self, volunteers, volunteer, team, token_for
    ):
        team_id, coordinator = await team(name="阳明青年志愿队")
        _, other_coordinator = await team(name="社区志愿队")
        member = await volunteer(name="李队员", phone="13900000099")
        joined = await volunteers.post(f"/teams/{team_id}/members", json={"volunteer_id": member})
        assert joined.status_code == 204, joined.text
        members = f"/teams/{team_id}/members"
        for headers in (
            await token_for(Role.coordinator, person=coordinator),
            await token_for(Role.social_worker),
            {},  # the admin's
        ):
            listed = await volunteers.get(members, headers=headers)
            assert listed.status_code == 200, listed.text
            assert {m["volunteer_id"] for m in listed.json()} == {coordinator, member}
        for headers in (
            await token_for(Role.coordinator, person=other_coordinator),
            await token_for(Role.coordinator),  # naming nobody
            await token_for(Role.volunteer, person=member),  # a member, not a coordinator
            await token_for(Role.viewer),
            await token_for(Role.fund_manager),
        ):
            refused = await volunteers.get(members, headers=headers)
            assert refused.status_code == 403, refused.text
            assert (
                "only the team's coordinators, a social worker or an admin"
                in (refused.json()["detail"])
            )


class TestScheduling:
    async def test_a_start_past_by_the_servers_clock_is_a_422_naming_it(self, volunteers, team):
        team_id, _ = await team()
        starts = datetime.now(UTC) - timedelta(minutes=1)
        refused = await volunteers.post(
            "/activities",
            json={
                "team_id": team_id,
                "community_id": "fengshan",
                "title": "理发进社区",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "capacity": 5,
            },
        )
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert (error["field"], error["type"]) == ("starts_at", "starts_in_past")
        assert error["message"].startswith("an activity is scheduled in the future: it is ")


class TestPublicActivities:
    async def test_the_public_sees_activities_to_come_with_places_left(
        self, volunteers, volunteer, team, activity
    ):
        team_id, _ = await team()
        later = await activity(team_id, capacity=3, days=5, title="义诊进社区")
        sooner = await activity(team_id, capacity=2, days=2, title="理发进社区")
        cancelled = await activity(team_id, days=3, title="取消的活动")
        await volunteers.post(f"/activities/{cancelled}/cancel", json={"reason": "rain"})
        me = await volunteer()
        await volunteers.post(f"/activities/{later}/signups", json={"volunteer_id": me})

        board = await volunteers.get("/public/activities", headers={"Authorization": ""})
        assert board.status_code == 200, board.text
        items = board.json()["items"]
        assert [(a["activity_id"], a["places_left"]) for a in items] == [(sooner, 2), (later, 2)]
        assert items[0]["team"] == "阳明青年志愿队"
        assert "李明" not in board.text  # who signed up is nobody's business here
        elsewhere = await volunteers.get(
            "/public/activities?community_id=lanjiang", headers={"Authorization": ""}
        )
        assert elsewhere.json()["items"] == []
        first = (await volunteers.get("/public/activities?limit=1")).json()
        rest = (
            await volunteers.get(f"/public/activities?limit=1&cursor={first['next_cursor']}")
        ).json()
        assert [a["activity_id"] for a in first["items"] + rest["items"]] == [sooner, later]

    async def test_names_shown_publicly_carry_no_phone_or_id_number(
        self, volunteers, team, database_url
    ):
        team_id, _ = await team()
        before = await _events(database_url)
        refused = [
            await volunteers.post(
                "/teams", json={"kind": "volunteer_team", "name": "热线 139 1234 5678"}
            ),
            await volunteers.post(
                "/sites",
                json={"kind": "volunteer_station", "name": "0574-62345678", "community_id": "a"},
            ),
            await volunteers.post(
                "/activities",
                json={
                    "team_id": team_id,
                    "community_id": "fengshan",
                    "title": "理发，报名请打13912345678",
                    "starts_at": "2030-01-01T01:00:00Z",
                    "ends_at": "2030-01-01T03:00:00Z",
                    "capacity": 5,
                },
            ),
        ]
        for response, field in zip(refused, ("name", "name", "title"), strict=True):
            assert response.status_code == 422, response.text
            assert response.json()["detail"].startswith(field)
            assert "shown publicly" in response.json()["detail"]
        assert await _events(database_url) == before


async def _events(database_url: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval("SELECT count(*) FROM volunteers.events")
    finally:
        await connection.close()


class TestSignups:
    async def test_fifty_concurrent_signups_for_ten_places_fill_exactly_ten(
        self, volunteers, volunteer, team, activity, token_for
    ):
        team_id, _ = await team()
        activity_id = await activity(team_id, capacity=10)
        people = [await volunteer(phone=f"135{n:08d}") for n in range(50)]
        tokens = {v: await token_for(Role.volunteer, person=v) for v in people}

        async def sign_up(volunteer_id):
            return await volunteers.post(
                f"/activities/{activity_id}/signups",
                json={"volunteer_id": volunteer_id},
                headers=tokens[volunteer_id],
            )

        responses = await asyncio.gather(*(sign_up(v) for v in people))
        codes = [r.status_code for r in responses]
        assert codes.count(200) == 10
        assert codes.count(409) == 40
        assert {r.json()["rule"] for r in responses if r.status_code == 409} == {"activity_full"}
        assert (await volunteers.get(f"/activities/{activity_id}")).json()["signed_up"] == 10

    async def test_a_volunteer_signs_up_and_withdraws_only_themself(
        self, volunteers, volunteer, team, activity, token_for
    ):
        team_id, _ = await team()
        activity_id = await activity(team_id, capacity=10)
        me, other = await volunteer(), await volunteer(phone="13900000099")
        as_me = await token_for(Role.volunteer, person=me)
        url = f"/activities/{activity_id}/signups"
        for_other = await volunteers.post(url, json={"volunteer_id": other}, headers=as_me)
        assert for_other.status_code == 403
        assert for_other.json()["detail"].startswith("volunteer_id")
        assert (await volunteers.post(url, json={"volunteer_id": me}, headers=as_me)).is_success
        # A coordinator signs others up; the volunteer cannot withdraw them.
        staff = await token_for(Role.coordinator)
        assert (await volunteers.post(url, json={"volunteer_id": other}, headers=staff)).is_success
        assert (await volunteers.delete(f"{url}/{other}", headers=as_me)).status_code == 403
        assert (await volunteers.get(f"/activities/{activity_id}")).json()["signed_up"] == 2

    async def test_a_volunteer_cannot_hold_two_overlapping_signups_even_at_once(
        self, volunteers, volunteer, team, activity
    ):
        team_id, _ = await team()
        morning = await activity(team_id, hours=3, title="上午场")
        overlapping = await activity(team_id, hours=3, title="同时段")
        who = await volunteer()
        responses = await asyncio.gather(
            *(
                volunteers.post(f"/activities/{a}/signups", json={"volunteer_id": who})
                for a in (morning, overlapping)
            )
        )
        assert sorted(r.status_code for r in responses) == [200, 409]
        refused = next(r for r in responses if r.status_code == 409)
        held = next(
            a for a, r in zip((morning, overlapping), responses, strict=True) if r.is_success
        )
        # The one in the way, by id: a page names it from the volunteer's own sign-ups.
        assert (refused.json()["rule"], refused.json()["overlapping_activity_id"]) == (
            "overlapping_signup",
            held,
        )
        later = await activity(team_id, days=4, title="次日")
        accepted = await volunteers.post(f"/activities/{later}/signups", json={"volunteer_id": who})
        assert accepted.status_code == 200

    async def test_a_withdrawn_signup_frees_its_place(self, volunteers, volunteer, team, activity):
        team_id, _ = await team()
        activity_id = await activity(team_id, capacity=1)
        first, second = await volunteer(), await volunteer(phone="13900000099")
        await volunteers.post(f"/activities/{activity_id}/signups", json={"volunteer_id": first})
        full = await volunteers.post(
            f"/activities/{activity_id}/signups", json={"volunteer_id": second}
        )
        assert full.status_code == 409
        freed = await volunteers.delete(f"/activities/{activity_id}/signups/{first}")
        assert freed.json()["signed_up"] == 0
        taken = await volunteers.post(
            f"/activities/{activity_id}/signups", json={"volunteer_id": second}
        )
        assert taken.status_code == 200


class TestTeamCoordinators:
    async def test_a_coordinator_runs_only_the_teams_they_coordinate(
        self, volunteers, volunteer, team, activity, token_for
    ):
        team_id, _ = await team()
        scheduled = await activity(team_id)
        who = await volunteer(phone="13900000031")
        await volunteers.post(f"/activities/{scheduled}/signups", json={"volunteer_id": who})
        outsider = await volunteer(phone="13900000033")
        as_outsider = await token_for(Role.coordinator, person=outsider)

        refused = [
            await volunteers.post(
                f"/teams/{team_id}/members",
                json={"volunteer_id": outsider, "role": "coordinator"},
                headers=as_outsider,
            ),
            await volunteers.delete(f"/teams/{team_id}/members/{who}", headers=as_outsider),
            await volunteers.post(
                "/activities",
                json={
                    "team_id": team_id,
                    "community_id": "fengshan",
                    "title": "理发",
                    "starts_at": "2040-01-01T01:00:00Z",
                    "ends_at": "2040-01-01T03:00:00Z",
                    "capacity": 5,
                },
                headers=as_outsider,
            ),
            await volunteers.post(f"/activities/{scheduled}/cancel", json={}, headers=as_outsider),
            await volunteers.post(
                f"/activities/{scheduled}/attendance",
                json={
                    "volunteer_id": who,
                    "checked_in_at": "2020-01-01T01:00:00Z",
                    "checked_out_at": "2020-01-01T02:00:00Z",
                },
                headers=as_outsider,
            ),
        ]
        assert [r.status_code for r in refused] == [409] * 5
        assert {r.json()["rule"] for r in refused} == {"not_team_coordinator"}
        members = (await volunteers.get(f"/teams/{team_id}/members")).json()
        assert outsider not in [m["volunteer_id"] for m in members]
        nameless = await volunteers.post(
            f"/activities/{scheduled}/cancel", json={}, headers=await token_for(Role.coordinator)
        )
        assert nameless.status_code == 403
        assert nameless.json()["detail"].startswith(
            "only a team's coordinators (a token naming one of them) or an admin may act for a "
            "team — a coordinator token acts for the teams its own person coordinates"
        )
        assert (await volunteers.get(f"/activities/{scheduled}")).json()["state"] == "scheduled"

    async def test_the_coordinator_who_registers_a_team_runs_it_without_an_admin(
        self, volunteers, volunteer, token_for
    ):
        founder = await volunteer(phone="13900000034")
        as_founder = await token_for(Role.coordinator, person=founder)
        created = await volunteers.post(
            "/teams", json={"kind": "volunteer_team", "name": "新志愿队"}, headers=as_founder
        )
        assert created.status_code == 201, created.text
        team_id = created.json()["team_id"]
        members = (await volunteers.get(f"/teams/{team_id}/members")).json()
        assert members == [{"volunteer_id": founder, "role": "coordinator"}]
        member = await volunteer(phone="13900000035")
        added = await volunteers.post(
            f"/teams/{team_id}/members", json={"volunteer_id": member}, headers=as_founder
        )
        assert added.status_code == 204
        scheduled = await volunteers.post(
            "/activities",
            json={
                "team_id": team_id,
                "community_id": "fengshan",
                "title": "理发",
                "starts_at": "2040-01-01T01:00:00Z",
                "ends_at": "2040-01-01T03:00:00Z",
                "capacity": 5,
            },
            headers=as_founder,
        )
        assert scheduled.status_code == 201, scheduled.text
        by_admin = await volunteers.post("/teams", json={"kind": "party_org", "name": "党支部"})
        assert (await volunteers.get(f"/teams/{by_admin.json()['team_id']}/members")).json() == []


class TestLeaving:
    @pytest.mark.parametrize("leave", ["withdraw", "erase"])
    async def test_a_volunteer_who_leaves_gives_back_their_places_to_come(
        self, volunteers, volunteer, team, activity, leave
    ):
        team_id, _ = await team()
        first, second = await activity(team_id, capacity=1), await activity(team_id, days=5)
        who = await volunteer(phone="13900000055")
        for activity_id in (first, second):
            taken = await volunteers.post(
                f"/activities/{activity_id}/signups", json={"volunteer_id": who}
            )
            assert taken.status_code == 200
        left = (
            await volunteers.post(f"/volunteers/{who}/withdraw")
            if leave == "withdraw"
            else await volunteers.delete(f"/volunteers/{who}/personal-data")
        )
        assert left.status_code == 200, left.text
        assert sorted(left.json()["released_activities"]) == sorted([first, second])
        assert left.json()["erased"] is (leave != "withdraw")
        for activity_id in (first, second):
            assert (await volunteers.get(f"/activities/{activity_id}")).json()["signed_up"] == 0
        other = await volunteer(phone="13900000056")
        taken = await volunteers.post(f"/activities/{first}/signups", json={"volunteer_id": other})
        assert taken.status_code == 200

    async def test_sign_ups_racing_a_withdrawal_leave_no_place_held(
        self, volunteers, volunteer, team, activity
    ):
        team_id, _ = await team()
        to_come = [await activity(team_id, days=days) for days in range(3, 9)]
        who = await volunteer(phone="13900000057")
        responses = await asyncio.gather(
            volunteers.post(f"/volunteers/{who}/withdraw"),
            *(
                volunteers.post(f"/activities/{a}/signups", json={"volunteer_id": who})
                for a in to_come
            ),
        )
        assert responses[0].status_code == 200
        assert {r.status_code for r in responses[1:]} <= {200, 409}
        for activity_id in to_come:
            assert (await volunteers.get(f"/activities/{activity_id}")).json()["signed_up"] == 0

    async def test_a_volunteer_suspended_after_serving_keeps_the_hours(
        self, volunteers, volunteer, team, signed_up
    ):
        team_id, _ = await team()
        who = await volunteer(phone="13900000058")
        now = datetime.now(UTC)
        starts = now - timedelta(hours=1)
        activity_id = await signed_up(team_id, who, starts)
        assert (await volunteers.post(f"/volunteers/{who}/suspend")).status_code == 204
        recorded = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": who,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (now - timedelta(minutes=1)).isoformat(),
            },
        )
        assert recorded.status_code == 201, recorded.text
        [record] = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"]
        assert (record["state"], record["hours"]) == ("pending", 0.98)

    async def test_no_attendance_counts_after_a_suspension(
        self, volunteers, volunteer, team, signed_up, runtime
    ):
        team_id, _ = await team()
        who = await volunteer(phone="13900000058")
        now = datetime.now(UTC)
        starts = now - timedelta(hours=2)
        activity_id = await signed_up(team_id, who, starts)
        # Suspended half an hour before the activity began (recorded as it happened).
        await people.change_status(
            runtime.store, UUID(who), "suspend", starts - timedelta(minutes=30)
        )
        refused = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": who,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (now - timedelta(minutes=1)).isoformat(),
            },
        )
        assert refused.status_code == 409
        assert refused.json()["rule"] == "volunteer_not_active"
        assert "since" in refused.json()["detail"]
        assert (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"] == []

    async def test_an_activity_with_attendance_cannot_be_cancelled(
        self, volunteers, volunteer, team, signed_up
    ):
        team_id, _ = await team()
        who = await volunteer(phone="13900000059")
        now = datetime.now(UTC)
        starts = now - timedelta(hours=1)
        activity_id = await signed_up(team_id, who, starts)
        attended = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": who,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (now - timedelta(minutes=1)).isoformat(),
            },
        )
        assert attended.status_code == 201
        refused = await volunteers.post(f"/activities/{activity_id}/cancel", json={})
        assert refused.status_code == 409
        assert refused.json()["rule"] == "activity_has_attendance"
        assert (await volunteers.get(f"/activities/{activity_id}")).json()["state"] == "scheduled"


class TestTheLastCoordinator:
    async def test_the_last_coordinator_stays_until_another_is_named(
        self, volunteers, volunteer, team, token_for
    ):
        team_id, coordinator = await team()
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        members = f"/teams/{team_id}/members"
        for refused in (
            await volunteers.delete(f"{members}/{coordinator}", headers=as_coordinator),
            await volunteers.post(members, json={"volunteer_id": coordinator, "role": "member"}),
        ):
            assert refused.status_code == 409
            assert refused.json()["rule"] == "last_coordinator"
        assert (await volunteers.get(members)).json() == [
            {"volunteer_id": coordinator, "role": "coordinator"}
        ]
        successor = await volunteer(phone="13900000071")
        named = await volunteers.post(
            members, json={"volunteer_id": successor, "role": "coordinator"}, headers=as_coordinator
        )
        assert named.status_code == 204
        left = await volunteers.delete(f"{members}/{coordinator}", headers=as_coordinator)
        assert left.status_code == 204
        assert (await volunteers.get(members)).json() == [
            {"volunteer_id": successor, "role": "coordinator"}
        ]


class TestPairingsAndSites:
    async def test_a_triple_is_paired_once_even_when_asked_twice_at_once(self, volunteers):
        uni = (
            await volunteers.post("/teams", json={"kind": "university", "name": "宁波大学"})
        ).json()["team_id"]
        org = (
            await volunteers.post("/teams", json={"kind": "social_org", "name": "阳光社工事务所"})
        ).json()["team_id"]
        body = {"university_team_id": uni, "social_org_team_id": org, "community_id": "fengshan"}
        responses = await asyncio.gather(
            *(volunteers.post("/pairings", json=body) for _ in range(3))
        )
        assert sorted(r.status_code for r in responses) == [201, 409, 409]
        other = await volunteers.post("/pairings", json={**body, "community_id": "lanjiang"})
        assert other.status_code == 201
        listed = (await volunteers.get(f"/pairings?team_id={uni}")).json()["items"]
        assert len(listed) == 2

    async def test_a_site_is_registered_and_listed_by_community(self, volunteers):
        response = await volunteers.post(
            "/sites",
            json={
                "kind": "social_work_station",
                "name": "阳明街道社工站",
                "community_id": "fengshan",
            },
        )
        assert response.status_code == 201
        listed = (await volunteers.get("/sites?community_id=fengshan")).json()["items"]
        assert [s["name"] for s in listed] == ["阳明街道社工站"]


class TestErasure:
    async def test_a_volunteer_erases_their_personal_data_and_it_is_gone(
        self, volunteers, volunteer, database_url, token_for
    ):
        sql = testing.sql(database_url)
        me = await volunteer(display_name="李志愿者", show_name_publicly=True)
        other = await volunteer(phone="13900000098")
        as_me = await token_for(Role.volunteer, person=me)
        url = f"/volunteers/{me}/personal-data"
        refused = await volunteers.delete(f"/volunteers/{other}/personal-data", headers=as_me)
        assert refused.status_code == 403

        erased = await volunteers.delete(url, headers=as_me)
        assert erased.status_code == 200
        assert erased.json() == {"erased": True, "released_activities": []}
        shown = (await volunteers.get(f"/volunteers/{me}")).json()  # as admin
        assert (shown["personal_data"], shown["display_name"], shown["status"]) == (
            None,
            None,
            "withdrawn",
        )
        keys = await sql(
            "SELECT wrapped_key FROM volunteers.personal_data WHERE subject_id = $1", me
        )
        assert [k["wrapped_key"] for k in keys] == [None]
        dump = str(await sql("SELECT * FROM volunteers.volunteers")) + str(
            await sql("SELECT * FROM volunteers.personal_data")
        )
        assert "李明" not in dump
        assert "13912345678" not in dump
        types = [r[0] for r in await sql("SELECT event_type FROM volunteers.events ORDER BY 1")]
        assert "wushe.volunteers.volunteer.erased.v1" in types
        again = await volunteers.delete(url)
        assert again.status_code == 409
        assert again.json()["rule"] == "volunteer_erased"


class TestActingForAnother:
    """A personal token naming someone else is refused with the rule, in words, before who."""

    RANDOM = "00000000-0000-4000-8000-000000000000"

    @pytest.mark.parametrize(
        ("method", "path", "body", "field"),
        [
            ("POST", "/activities/{activity}/signups", {"volunteer_id": "{other}"}, "volunteer_id"),
            ("DELETE", "/activities/{activity}/signups/{other}", None, "volunteer_id"),
            ("GET", "/volunteers/{other}/signups", None, "volunteer_id"),
            ("GET", "/volunteers/{other}/certificates", None, "volunteer_id"),
            ("GET", "/volunteers/{other}/certificate", None, "volunteer_id"),
            ("DELETE", "/volunteers/{other}/personal-data", None, "volunteer_id"),
            ("GET", "/teams?coordinator_id={other}", None, "coordinator_id"),
        ],
    )
    async def test_a_volunteer_is_told_who_may_do_it_for_another(
        self, volunteers, volunteer, team, activity, token_for, method, path, body, field
    ):
        team_id, _ = await team()
        activity_id = await activity(team_id)
        me = await volunteer(phone="13900000081")
        other = await volunteer(phone="13900000082")

        def filled(text: str) -> str:
            return text.format(activity=activity_id, other=other)

        for headers, then in (
            (await token_for(Role.volunteer, person=me), "this token acts for"),
            (await token_for(Role.volunteer), "names none"),
        ):
            refused = await volunteers.request(
                method,
                filled(path),
                json={k: filled(v) for k, v in body.items()} if body else None,
                headers=headers,
            )
            assert refused.status_code == 403, refused.text
            detail = refused.json()["detail"]
            assert re.match(rf"{field}: only .+ may .+ — ", detail), detail
            assert then in detail

    @pytest.mark.parametrize("verb", ["verify", "decline"])
    async def test_a_coordinator_is_told_only_an_admin_judges_as_another(
        self, volunteers, team, token_for, verb
    ):
        _, coordinator = await team()
        _, other = await team(name="社区志愿队")
        refused = await volunteers.post(
            f"/hours/{self.RANDOM}/{verb}",
            json={"coordinator_id": other},
            headers=await token_for(Role.coordinator, person=coordinator),
        )
        assert refused.status_code == 403, refused.text
        detail = refused.json()["detail"]
        assert re.match(r"coordinator_id: only .+ may .+ — this token acts for", detail), detail

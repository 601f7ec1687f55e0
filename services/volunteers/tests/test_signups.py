"""Who signed up: an activity's roster for its organisers, a volunteer's own sign-ups."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from wushe_service.auth import Role


class TestTheRoster:
    async def test_the_organising_coordinator_sees_who_signed_up_with_names_read_logged(
        self, volunteers, volunteer, team, activity, token_for
    ):
        team_id, coordinator = await team()
        activity_id = await activity(team_id)
        first = await volunteer(name="张一", phone="13900000011")
        second = await volunteer(name="张二", phone="13900000012")
        for who in (first, second):
            signed = await volunteers.post(
                f"/activities/{activity_id}/signups", json={"volunteer_id": who}
            )
            assert signed.status_code == 200, signed.text
        await volunteers.delete(f"/activities/{activity_id}/signups/{second}")
        as_coordinator = await token_for(Role.coordinator, person=coordinator)

        roster = await volunteers.get(f"/activities/{activity_id}/signups", headers=as_coordinator)

        assert roster.status_code == 200, roster.text
        rows = roster.json()
        assert [(r["volunteer_id"], r["state"], r["name"]) for r in rows] == [
            (first, "active", "张一"),
            (second, "withdrawn", "张二"),
        ]
        assert all(r["signed_up_at"] and r["checked_in_at"] is None for r in rows)
        as_auditor = await token_for(Role.auditor)
        log = (
            await volunteers.get(f"/audit/personal-data?subject_id={first}", headers=as_auditor)
        ).json()["items"]
        assert [(r["reader_role"], r["purpose"]) for r in log] == [
            ("coordinator", "activity signups")
        ]

    async def test_others_may_not_see_it(self, volunteers, volunteer, team, activity, token_for):
        team_id, _ = await team()
        _, other_coordinator = await team(name="另一支志愿队")
        activity_id = await activity(team_id)
        me = await volunteer()
        url = f"/activities/{activity_id}/signups"
        for headers in (
            await token_for(Role.coordinator, person=other_coordinator),
            await token_for(Role.volunteer, person=me),
            await token_for(Role.viewer),
        ):
            assert (await volunteers.get(url, headers=headers)).status_code == 403
        assert (await volunteers.get(f"/activities/{UUID(int=1)}/signups")).status_code == 404

    async def test_attendance_shows_once_recorded(self, volunteers, volunteer, team, signed_up):
        team_id, _ = await team()
        me = await volunteer()
        starts = datetime.now(UTC) - timedelta(days=2)
        activity_id = await signed_up(team_id, me, starts)
        recorded = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": me,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (starts + timedelta(hours=2)).isoformat(),
            },
        )
        assert recorded.status_code == 201, recorded.text

        [row] = (await volunteers.get(f"/activities/{activity_id}/signups")).json()  # admin

        assert (row["state"], row["record_id"]) == ("attended", recorded.json()["record_id"])
        assert datetime.fromisoformat(row["checked_in_at"]) == starts


class TestAVolunteersOwnSignups:
    async def test_a_volunteer_lists_their_own_and_no_one_elses(
        self, volunteers, volunteer, team, activity, token_for
    ):
        team_id, coordinator = await team()
        later = await activity(team_id, days=5, title="义诊进社区")
        sooner = await activity(team_id, days=2)
        me = await volunteer()
        other = await volunteer(phone="13900000013")
        for activity_id in (later, sooner):
            await volunteers.post(f"/activities/{activity_id}/signups", json={"volunteer_id": me})
        as_me = await token_for(Role.volunteer, person=me)

        mine = await volunteers.get(f"/volunteers/{me}/signups", headers=as_me)

        assert mine.status_code == 200, mine.text
        items = mine.json()["items"]
        assert [(s["activity_id"], s["title"], s["state"]) for s in items] == [
            (sooner, "理发进社区", "active"),
            (later, "义诊进社区", "active"),
        ]
        refused = await volunteers.get(f"/volunteers/{other}/signups", headers=as_me)
        assert refused.status_code == 403
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        theirs = await volunteers.get(f"/volunteers/{other}/signups", headers=as_coordinator)
        assert theirs.json()["items"] == []
        assert (await volunteers.get(f"/volunteers/{UUID(int=1)}/signups")).status_code == 404
        bad = await volunteers.get(f"/volunteers/{me}/signups?state=nonsense")
        assert bad.status_code == 422

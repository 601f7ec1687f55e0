"""Who signed up: an activity's roster for its organisers, a volunteer's own sign-ups."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from wushe_events.errors import RuleBroken
from wushe_service.auth import Role
from wushe_volunteers.domain import activity


def now() -> datetime:
    return datetime.now(UTC)


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


class TestNoShows:
    """A sign-up still open a day after its activity ended, no attendance recorded for it while
    others' was: a no-show (爽约), which the office may limit (`WUSHE_NO_SHOW_LIMIT`)."""

    @pytest.fixture
    def attendance_taken(self, volunteers, volunteer):
        """The attendance of a volunteer who came, entered from the sign-in sheet."""

        async def enter(activity_id, starts: datetime) -> None:
            came = await volunteer()
            entered = await volunteers.post(
                f"/activities/{activity_id}/attendance/backfill",
                json={
                    "volunteer_id": came,
                    "checked_in_at": starts.isoformat(),
                    "checked_out_at": (starts + timedelta(hours=1)).isoformat(),
                },
            )
            assert entered.status_code == 201, entered.text

        return enter

    async def test_the_roster_and_the_volunteers_list_mark_a_no_show_a_day_after_the_end(
        self, volunteers, volunteer, team, signed_up, attendance_taken
    ):
        team_id, _ = await team()
        me = await volunteer()
        missed_at, just_ended_at = now() - timedelta(days=3), now() - timedelta(hours=5)
        missed = await signed_up(team_id, me, missed_at)
        # Ended within the day: the coordinators may still enter the attendance.
        just_ended = await signed_up(team_id, me, just_ended_at)
        # No one's attendance entered: nobody came, or nobody kept the register.
        unrecorded = await signed_up(team_id, me, now() - timedelta(days=5))
        await attendance_taken(missed, missed_at)
        await attendance_taken(just_ended, just_ended_at)

        for activity_id, no_show in ((missed, True), (just_ended, False), (unrecorded, False)):
            [row] = [
                r
                for r in (await volunteers.get(f"/activities/{activity_id}/signups")).json()
                if r["volunteer_id"] == me
            ]
            assert (row["state"], row["no_show"]) == ("active", no_show)
        mine = (await volunteers.get(f"/volunteers/{me}/signups")).json()["items"]
        assert {s["activity_id"]: s["no_show"] for s in mine} == {
            str(missed): True,
            str(just_ended): False,
            str(unrecorded): False,
        }

    @pytest.mark.settings(no_show_limit=2)
    async def test_with_a_limit_a_volunteer_who_missed_too_many_signs_up_for_no_more(
        self, volunteers, volunteer, team, activity, signed_up, attendance_taken
    ):
        team_id, _ = await team()
        me, other = await volunteer(), await volunteer()

        began: dict[UUID, datetime] = {}

        async def missed(who: str, days: int, register_kept: bool = True) -> UUID:
            starts = now() - timedelta(days=days)
            held = await signed_up(team_id, who, starts)  # three hours long
            if register_kept:
                await attendance_taken(held, starts)
            began[held] = starts
            return held

        first = await missed(me, 30)
        await missed(me, 10)
        await missed(other, 100)  # long ago: out of the 90 days counted
        await missed(other, 10)
        await missed(other, 20, register_kept=False)  # no one's attendance entered: no no-show
        coming = await activity(team_id)
        url = f"/activities/{coming}/signups"

        refused = await volunteers.post(url, json={"volunteer_id": me})

        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "too_many_no_shows"
        # Free 90 days after the older miss ended (not "in 60 days": its end may be tomorrow's).
        free_from = (began[first] + timedelta(hours=3, days=90)).strftime("%Y-%m-%d %H:%M")
        assert "missed 2 activities" in refused.json()["detail"]
        assert f"from {free_from}" in refused.json()["detail"]
        # One missed in the 90 days (one before, one unrecorded): not (yet) too many.
        assert (await volunteers.post(url, json={"volunteer_id": other})).status_code == 200
        [row] = (await volunteers.get(url)).json()
        assert row["volunteer_id"] == other  # nothing of mine was recorded
        # Attendance entered late: that one was no no-show after all.
        entered = await volunteers.post(
            f"/activities/{first}/attendance",
            json={
                "volunteer_id": me,
                "checked_in_at": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
                "checked_out_at": (datetime.now(UTC) - timedelta(days=30, hours=-2)).isoformat(),
            },
        )
        assert entered.status_code == 201, entered.text
        assert (await volunteers.post(url, json={"volunteer_id": me})).status_code == 200


def test_the_limit_names_when_the_volunteer_may_sign_up_again():
    now = datetime(2026, 12, 6, tzinfo=UTC)
    me = uuid4()
    missed = [now - timedelta(days=d) for d in (80, 50, 3)]
    activity.within_no_show_limit(me, missed, 0, now)  # no limit
    activity.within_no_show_limit(me, missed, 4, now)
    with pytest.raises(RuleBroken) as refused:
        activity.within_no_show_limit(me, missed, 2, now)
    # Below the limit once the two oldest are past the 90 days: from the second's end + 90.
    assert refused.value.rule == "too_many_no_shows"
    assert "missed 3 activities" in str(refused.value)
    assert f"from {now + timedelta(days=40):%Y-%m-%d}" in str(refused.value)

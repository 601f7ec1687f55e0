"""Attendance entered after the fact (补录), from a paper sign-in sheet, over HTTP against the
real PostgreSQL and NATS: walk-ins, capacity, times within the activity, the hours flow."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from wushe_service import testing
from wushe_service.auth import Role
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN

from .conftest import VAULTS

SHEET = "据凤山社工站纸质签到表补录，签到表已存档"


async def held(store, team_id, *, capacity: int = 5, signed_up=(), days_ago: int = 2, starts=None):
    """An activity of the team held `days_ago` days ago (or from `starts`), 3 hours long, for
    which `signed_up` signed up the day before; its id and start."""
    starts = starts or (datetime.now(UTC) - timedelta(days=days_ago)).replace(microsecond=0)
    then = starts - timedelta(days=1)
    activity_id = await commands.schedule(
        store,
        VAULTS[store],
        commands.ScheduleActivity(
            team_id=team_id,
            community_id="fengshan",
            title="助老理发",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            capacity=capacity,
        ),
        then,
        caller=ADMIN,
    )
    for volunteer_id in signed_up:
        await commands.sign_up(store, activity_id, commands.SignUp(volunteer_id=volunteer_id), then)
    return activity_id, starts


def sheet(volunteer_id, starts, *, start_minutes=0, end_minutes=180, **more) -> dict:
    return {
        "volunteer_id": str(volunteer_id),
        "checked_in_at": (starts + timedelta(minutes=start_minutes)).isoformat(),
        "checked_out_at": (starts + timedelta(minutes=end_minutes)).isoformat(),
    } | more


async def _events(database_url) -> list[str]:
    rows = await testing.sql(database_url)("SELECT data::text FROM volunteers.events")
    return [r[0] for r in rows]


class TestWalkIns:
    async def test_a_walk_in_at_a_held_activity_is_entered_and_its_hours_verified(
        self, volunteers, runtime, volunteer, team, token_for, database_url
    ):
        team_id, coordinator = await team()
        walk_in = await volunteer(name="赵小红")
        activity_id, starts = await held(runtime.store, UUID(team_id))
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        url = f"/activities/{activity_id}/attendance/backfill"

        # The live way refuses them: they did not sign up.
        live = await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json=sheet(walk_in, starts),
            headers=as_coordinator,
        )
        assert (live.status_code, live.json()["rule"]) == (409, "not_signed_up")

        entered = await volunteers.post(
            url,
            json=sheet(walk_in, starts, start_minutes=30, note=SHEET),
            headers=as_coordinator,
        )

        assert entered.status_code == 201, entered.text
        assert (entered.json()["walk_in"], entered.json()["over_capacity"]) == (True, False)
        record_id = entered.json()["record_id"]
        [row] = (
            await volunteers.get(f"/activities/{activity_id}/signups", headers=as_coordinator)
        ).json()
        assert (row["volunteer_id"], row["state"], row["record_id"]) == (
            walk_in,
            "attended",
            record_id,
        )
        record = (await volunteers.get(f"/hours/{record_id}", headers=as_coordinator)).json()
        assert (record["state"], record["hours"], record["team_id"]) == (
            "pending",
            2.5,
            team_id,
        )
        assert [(n["kind"], n["note"]) for n in record["notes"]] == [("entered", SHEET)]
        verified = await volunteers.post(
            f"/hours/{record_id}/verify", json={}, headers=as_coordinator
        )
        assert verified.json()["state"] == "verified"
        published = "\n".join(await _events(database_url))
        assert SHEET not in published
        assert "赵小红" not in published
        assert '"walk_in": true' in published
        assert '"after_the_fact": true' in published

    async def test_a_full_activity_takes_a_walk_in_only_with_a_reason(
        self, volunteers, runtime, volunteer, team, database_url
    ):
        team_id, _ = await team()
        first = await volunteer()
        walk_in = await volunteer()
        activity_id, starts = await held(
            runtime.store, UUID(team_id), capacity=1, signed_up=[UUID(first)]
        )
        url = f"/activities/{activity_id}/attendance/backfill"
        before = await _events(database_url)

        refused = await volunteers.post(url, json=sheet(walk_in, starts))

        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "activity_full"
        assert "over_capacity_reason" in refused.json()["detail"]
        assert await _events(database_url) == before
        in_words = await volunteers.post(
            url, json=sheet(walk_in, starts, over_capacity_reason="临时加入")
        )
        assert in_words.status_code == 422
        assert in_words.json()["errors"][0]["field"] == "over_capacity_reason"
        entered = await volunteers.post(
            url, json=sheet(walk_in, starts, over_capacity_reason="walk-in")
        )
        assert entered.status_code == 201, entered.text
        assert entered.json()["over_capacity"] is True
        # The one who signed up is entered too, in their own place.
        theirs = await volunteers.post(url, json=sheet(first, starts))
        assert theirs.json()["walk_in"] is False


class TestRules:
    async def test_times_outside_the_activity_are_a_422_naming_the_field_and_change_nothing(
        self, volunteers, runtime, volunteer, team, database_url
    ):
        team_id, _ = await team()
        who = await volunteer()
        activity_id, starts = await held(runtime.store, UUID(team_id))
        url = f"/activities/{activity_id}/attendance/backfill"
        before = await _events(database_url)
        for body, field in [
            (sheet(who, starts, start_minutes=-10), "checked_in_at"),
            (sheet(who, starts, end_minutes=200), "checked_out_at"),
            (sheet(who, starts, start_minutes=60, end_minutes=30), "checked_out_at"),
            (sheet(who, starts) | {"checked_in_at": "yesterday"}, "checked_in_at"),
        ]:
            refused = await volunteers.post(url, json=body)
            assert refused.status_code == 422, refused.text
            assert refused.json()["errors"][0]["field"] == field
        assert await _events(database_url) == before

    async def test_once_per_volunteer_and_never_at_two_activities_at_once(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, _ = await team()
        who = await volunteer()
        one, starts = await held(runtime.store, UUID(team_id))
        other, _ = await held(runtime.store, UUID(team_id))
        first = await volunteers.post(
            f"/activities/{one}/attendance/backfill", json=sheet(who, starts)
        )
        assert first.status_code == 201, first.text
        again = await volunteers.post(
            f"/activities/{one}/attendance/backfill", json=sheet(who, starts)
        )
        assert again.json()["rule"] == "attendance_recorded"
        elsewhere = await volunteers.post(
            f"/activities/{other}/attendance/backfill",
            json=sheet(who, starts, start_minutes=60),
        )
        assert elsewhere.status_code == 409
        assert elsewhere.json()["rule"] == "overlapping_attendance"

    async def test_attendance_declined_at_the_wrong_activity_is_entered_where_it_happened(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, _ = await team()
        who = await volunteer()
        wrong, starts = await held(runtime.store, UUID(team_id))
        right, _ = await held(runtime.store, UUID(team_id), starts=starts)  # the same hours
        entered = await volunteers.post(
            f"/activities/{wrong}/attendance/backfill", json=sheet(who, starts)
        )
        assert entered.status_code == 201, entered.text
        declined = await volunteers.post(
            f"/hours/{entered.json()['record_id']}/decline", json={"reason": "wrong-activity"}
        )
        assert declined.status_code == 200, declined.text
        moved = await volunteers.post(
            f"/activities/{right}/attendance/backfill", json=sheet(who, starts)
        )
        assert moved.status_code == 201, moved.text

    async def test_only_a_coordinator_of_the_organising_team_enters_it(
        self, volunteers, runtime, volunteer, team, token_for
    ):
        team_id, _ = await team()
        _, outsider = await team(name="另一支志愿队")
        who = await volunteer()
        activity_id, starts = await held(runtime.store, UUID(team_id))
        url = f"/activities/{activity_id}/attendance/backfill"
        as_outsider = await token_for(Role.coordinator, person=outsider)
        refused = await volunteers.post(url, json=sheet(who, starts), headers=as_outsider)
        assert (refused.status_code, refused.json()["rule"]) == (409, "not_team_coordinator")
        as_volunteer = await token_for(Role.volunteer, person=who)
        forbidden = await volunteers.post(url, json=sheet(who, starts), headers=as_volunteer)
        assert forbidden.status_code == 403

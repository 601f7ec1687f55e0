"""Attendance recorded live, over HTTP against the real PostgreSQL: nobody is checked in at two
overlapping activities at once, even when both check-ins arrive together."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID

from wushe_events.aggregate import load
from wushe_events.catalogue.volunteers import SignupAccepted
from wushe_service import testing
from wushe_volunteers.domain import activity

from .conftest import schedule_signed_up


def checked(volunteer_id, checked_in: datetime, checked_out: datetime) -> dict:
    return {
        "volunteer_id": str(volunteer_id),
        "checked_in_at": checked_in.isoformat(),
        "checked_out_at": checked_out.isoformat(),
    }


async def _events(database_url) -> int:
    [(count,)] = await testing.sql(database_url)("SELECT count(*) FROM volunteers.events")
    return count


def two_days_ago() -> datetime:
    return (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)


class TestOverlappingCheckIns:
    async def test_a_check_in_while_checked_in_elsewhere_is_refused_naming_the_other(
        self, volunteers, runtime, volunteer, team, database_url
    ):
        team_id, _ = await team()
        who = UUID(await volunteer())
        starts = two_days_ago()
        first = await schedule_signed_up(runtime.store, team_id, who, starts)
        attended = await volunteers.post(
            f"/activities/{first}/attendance",
            json=checked(who, starts, starts + timedelta(hours=2)),
        )
        assert attended.status_code == 201, attended.text
        # Their attendance there recorded, they could sign up for one overlapping it.
        second = await schedule_signed_up(runtime.store, team_id, who, starts + timedelta(hours=1))
        before = await _events(database_url)

        refused = await volunteers.post(
            f"/activities/{second}/attendance",
            json=checked(who, starts + timedelta(hours=1), starts + timedelta(hours=4)),
        )

        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "overlapping_attendance"
        assert str(first) in refused.json()["detail"]
        assert await _events(database_url) == before
        after_check_out = await volunteers.post(
            f"/activities/{second}/attendance",
            json=checked(who, starts + timedelta(hours=2), starts + timedelta(hours=4)),
        )
        assert after_check_out.status_code == 201, after_check_out.text

    async def test_two_check_ins_at_once_at_overlapping_activities_one_passes(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, _ = await team()
        who = UUID(await volunteer())
        starts = two_days_ago()
        one = await schedule_signed_up(runtime.store, team_id, who, starts)
        other = await schedule_signed_up(
            runtime.store, team_id, UUID(await volunteer()), starts + timedelta(hours=1)
        )
        # The sign-up rule keeps a volunteer out of two overlapping activities; this rule must
        # hold without it (a walk-in entered after the fact takes a place past it), so the
        # second place is written straight to the activity's stream.
        async with runtime.store.transaction() as tx:
            loaded = await load(tx, "activity", str(other), activity.evolve)
            place = SignupAccepted(activity_id=other, volunteer_id=who, community_id="fengshan")
            await tx.append(loaded.version, [place], now=starts - timedelta(days=1))

        responses = await asyncio.gather(
            *(
                volunteers.post(
                    f"/activities/{a}/attendance",
                    json=checked(who, starts + timedelta(hours=1), starts + timedelta(hours=3)),
                )
                for a in (one, other)
            )
        )

        assert sorted(r.status_code for r in responses) == [201, 409]
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json()["rule"] == "overlapping_attendance"
        hours = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"]
        assert len(hours) == 1

    async def test_a_check_in_and_a_walk_in_entered_elsewhere_at_once_one_passes(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, _ = await team()
        who = UUID(await volunteer())
        starts = two_days_ago()
        signed_up = await schedule_signed_up(runtime.store, team_id, who, starts)
        walked_in = await schedule_signed_up(
            runtime.store, team_id, UUID(await volunteer()), starts + timedelta(hours=1)
        )
        times = checked(who, starts + timedelta(hours=1), starts + timedelta(hours=3))

        responses = await asyncio.gather(
            volunteers.post(f"/activities/{signed_up}/attendance", json=times),
            volunteers.post(f"/activities/{walked_in}/attendance/backfill", json=times),
        )

        assert sorted(r.status_code for r in responses) == [201, 409]
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json()["rule"] == "overlapping_attendance"

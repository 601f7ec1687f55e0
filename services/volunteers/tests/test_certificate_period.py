"""A service-record certificate says over which days and how many services its hours were
given — what a university's form asks — and its check by code says the same, to compare."""

from datetime import UTC, datetime, timedelta

from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN

from .conftest import schedule_signed_up
from .test_hours import pending_of


async def served_on(runtime, team_id: str, who: str, starts: datetime, hours: int) -> None:
    activity_id = await schedule_signed_up(runtime.store, team_id, who, starts, hours=hours)
    await commands.record_attendance(
        runtime.store,
        activity_id,
        commands.RecordAttendance(
            volunteer_id=who, checked_in_at=starts, checked_out_at=starts + timedelta(hours=hours)
        ),
        datetime.now(UTC),
        caller=ADMIN,
    )


class TestTheServicePeriod:
    async def test_the_certificate_and_its_check_give_the_period_and_the_services(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        # 09:00 in Beijing on 7 and on 21 September 2025, a Sunday fortnight apart.
        for day, hours in ((7, 2), (21, 3)):
            starts = datetime(2025, 9, day, 1, 0, tzinfo=UTC)
            await served_on(runtime, team_id, who, starts, hours)
        for record in await pending_of(volunteers, who):
            await volunteers.post(
                f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
            )
        code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]

        shown = (await volunteers.get(f"/volunteers/{who}/certificate")).json()
        page = (await volunteers.get(f"/volunteers/{who}/certificate?format=html")).text
        checked = (await volunteers.get(f"/certificates/{code}")).json()
        check_page = (await volunteers.get(f"/certificates/{code}?format=html")).text

        period = {"from": "2025-09-07", "to": "2025-09-21"}
        assert (shown["period"], shown["services"]) == (period, 2)
        assert "于 2025-09-07 至 2025-09-21 期间参加志愿服务 2 次" in page
        assert (checked["period"], checked["services"]) == (period, 2)
        assert "2025-09-07 至 2025-09-21" in check_page
        assert "服务次数</th><td>2 次" in check_page

    async def test_one_days_service_is_said_as_one_day(self, volunteers, runtime, volunteer, team):
        team_id, coordinator = await team()
        who = await volunteer()
        await served_on(runtime, team_id, who, datetime(2025, 10, 12, 1, 0, tzinfo=UTC), 2)
        [record] = await pending_of(volunteers, who)
        await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        await volunteers.post(f"/volunteers/{who}/certificates")

        page = (await volunteers.get(f"/volunteers/{who}/certificate?format=html")).text

        assert "于 2025-10-12 参加志愿服务 1 次" in page

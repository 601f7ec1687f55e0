"""Service hours and certificates against the real PostgreSQL and NATS."""

import itertools
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg

from wushe_events.catalogue.needs import WishClaimed, WishConfirmed, WishFulfilled
from wushe_events.envelope import Envelope
from wushe_events.subjects import event_subject, stream_name
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_service import testing
from wushe_service.auth import Role
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.commands.hours import issue_certificate, record_wish_hours
from wushe_volunteers.domain.team import ADMIN

from .conftest import schedule_signed_up

# Each activity `attended` gives is four hours before the last: one volunteer is never
# checked in at two activities at once.
_EARLIER = itertools.count()


async def attended(runtime, team_id, volunteer_id, hours: int = 3) -> None:
    """An activity that happened last week, signed up for before, attended in full."""
    starts = datetime.now(UTC) - timedelta(days=7, hours=4 * next(_EARLIER))
    activity_id = await schedule_signed_up(runtime.store, team_id, volunteer_id, starts, hours)
    await commands.record_attendance(
        runtime.store,
        activity_id,
        commands.RecordAttendance(
            volunteer_id=volunteer_id,
            checked_in_at=starts,
            checked_out_at=starts + timedelta(hours=hours),
        ),
        datetime.now(UTC),
        caller=ADMIN,
    )


async def pending_of(volunteers, volunteer_id) -> list[dict]:
    return (await volunteers.get(f"/hours?volunteer_id={volunteer_id}&state=pending")).json()[
        "items"
    ]


class TestVerification:
    async def test_an_admin_judges_a_teams_hours_without_naming_a_coordinator(
        self, volunteers, runtime, volunteer, team, token_for
    ):
        team_id, _ = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who))
        await attended(runtime, UUID(team_id), UUID(who))
        first, second = await pending_of(volunteers, who)

        verified = await volunteers.post(f"/hours/{first['record_id']}/verify", json={})
        corrected = await volunteers.post(
            f"/hours/{second['record_id']}/correct", json={"hours": 2, "reason": "left-early"}
        )

        assert verified.status_code == 200, verified.text
        assert (verified.json()["state"], verified.json()["verified_by"]) == ("verified", None)
        assert corrected.status_code == 200, corrected.text
        assert corrected.json()["hours"] == 2.0
        admin_person = await volunteer(phone="13900000066")
        as_admin_person = await token_for(Role.admin, person=admin_person)
        again = await volunteers.post(
            f"/hours/{second['record_id']}/verify", json={}, headers=as_admin_person
        )
        assert again.json()["verified_by"] == admin_person
        as_coordinator = await token_for(Role.coordinator)  # names nobody: runs no team
        refused = await volunteers.post(
            f"/hours/{first['record_id']}/decline",
            json={"reason": "absent"},
            headers=as_coordinator,
        )
        assert refused.status_code == 403

    async def test_only_a_coordinator_of_the_organising_team_verifies(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who))
        [record] = await pending_of(volunteers, who)
        assert record["hours"] == 3.0
        outsider = await volunteer(phone="13900000077")
        refused = await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": outsider}
        )
        assert refused.status_code == 409
        assert refused.json()["rule"] == "not_team_coordinator"
        verified = await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        assert verified.json()["state"] == "verified"

    async def test_a_coordinator_judges_hours_as_the_person_their_token_names(
        self, volunteers, runtime, volunteer, team, token_for
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who))
        [record] = await pending_of(volunteers, who)
        url = f"/hours/{record['record_id']}/verify"

        nameless = await volunteers.post(
            url, json={"coordinator_id": coordinator}, headers=await token_for(Role.coordinator)
        )
        assert nameless.status_code == 403
        assert "names none" in nameless.json()["detail"]
        outsider = await volunteer(phone="13900000078")
        disguised = await volunteers.post(
            url,
            json={"coordinator_id": coordinator},
            headers=await token_for(Role.coordinator, person=outsider),
        )
        assert disguised.status_code == 403
        assert disguised.json()["detail"].startswith("coordinator_id")
        assert (await pending_of(volunteers, who)) == [record]

        verified = await volunteers.post(
            url, json={}, headers=await token_for(Role.coordinator, person=coordinator)
        )
        assert verified.json()["state"] == "verified"
        assert verified.json()["verified_by"] == coordinator

    async def test_a_correction_cannot_exceed_the_activitys_length(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who), hours=2)
        [record] = await pending_of(volunteers, who)
        url = f"/hours/{record['record_id']}/correct"
        refused = await volunteers.post(
            url, json={"coordinator_id": coordinator, "hours": 999, "reason": "typo"}
        )
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["hours"]
        assert (await pending_of(volunteers, who))[0]["hours"] == 2.0
        fewer = await volunteers.post(
            url, json={"coordinator_id": coordinator, "hours": 1.5, "reason": "left-early"}
        )
        assert fewer.json()["hours"] == 1.5

    async def test_corrected_hours_are_counted_by_the_quarter_hour_and_recorded_ones_kept(
        self, volunteers, volunteer, team, signed_up, database_url
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        now = datetime.now(UTC)
        starts = now - timedelta(hours=1)
        activity_id = await signed_up(team_id, who, starts)
        await volunteers.post(
            f"/activities/{activity_id}/attendance",
            json={
                "volunteer_id": who,
                "checked_in_at": starts.isoformat(),
                "checked_out_at": (now - timedelta(minutes=1)).isoformat(),
            },
        )
        [record] = await pending_of(volunteers, who)
        assert record["hours"] == 0.98  # as checked in and out: not typed, not refused
        events = testing.sql(database_url)
        [(before,)] = await events("SELECT count(*) FROM volunteers.events")
        url = f"/hours/{record['record_id']}/correct"

        refused = await volunteers.post(
            url, json={"coordinator_id": coordinator, "hours": 0.9, "reason": "typo"}
        )

        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert (error["field"], error["type"]) == ("hours", "hours_quarter")
        assert "multiple of 0.25" in error["message"]
        assert await events("SELECT count(*) FROM volunteers.events") == [(before,)]
        assert await pending_of(volunteers, who) == [record]
        quarter = await volunteers.post(
            url, json={"coordinator_id": coordinator, "hours": 0.75, "reason": "left-early"}
        )
        assert (quarter.status_code, quarter.json()["hours"]) == (200, 0.75)

    async def test_declined_hours_stay_on_record_with_their_reason(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who))
        [record] = await pending_of(volunteers, who)
        declined = await volunteers.post(
            f"/hours/{record['record_id']}/decline",
            json={"coordinator_id": coordinator, "reason": "duplicate-entry"},
        )
        assert (declined.json()["state"], declined.json()["reason"]) == (
            "declined",
            "duplicate-entry",
        )
        kept = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"]
        assert [h["state"] for h in kept] == ["declined"]

    async def test_a_coordinator_cannot_judge_their_own_hours(
        self, volunteers, runtime, team, token_for
    ):
        team_id, coordinator = await team()
        await attended(runtime, UUID(team_id), UUID(coordinator))
        [record] = await pending_of(volunteers, coordinator)
        as_themself = await token_for(Role.coordinator, person=coordinator)
        for verb, body in (
            ("verify", {}),
            ("decline", {"reason": "mistake"}),
            ("correct", {"hours": 8, "reason": "stayed-late"}),
        ):
            refused = await volunteers.post(
                f"/hours/{record['record_id']}/{verb}", json=body, headers=as_themself
            )
            assert refused.status_code == 409, refused.text
            assert refused.json()["rule"] == "own_hours"
            named = await volunteers.post(  # an admin naming them as the judge
                f"/hours/{record['record_id']}/{verb}", json={**body, "coordinator_id": coordinator}
            )
            assert named.json()["rule"] == "own_hours"
        assert await pending_of(volunteers, coordinator) == [record]


class TestWishHours:
    async def test_a_fulfilled_wish_becomes_pending_hours_once_even_if_delivered_twice(
        self, volunteers, volunteer, js, office, database_url
    ):
        who = await volunteer()
        wish_id = uuid4()
        fulfilled = WishFulfilled(
            wish_id=wish_id,
            community_id="fengshan",
            claimant_id=UUID(who),
            claimant_kind="volunteer",
            hours=2.5,
        )
        envelope = Envelope(
            id=uuid4(),
            source=f"/offices/{office}/needs",
            type=fulfilled.type,
            subject=f"wish/{wish_id}",
            time=datetime.now(UTC),
            data=fulfilled.payload(),
            office=office,
            streamversion=3,
        )
        # Twice, as a republish outside JetStream's duplicate window would deliver it.
        for _ in range(2):
            await js.publish(
                event_subject(office, fulfilled.type),
                envelope.to_json(),
                stream=stream_name(office),
                headers={"Nats-Msg-Id": str(uuid4())},
            )

        async def both_consumed():
            connection = await asyncpg.connect(database_url)
            try:
                return (
                    await connection.fetchval(
                        "SELECT last_seq FROM volunteers.consumer_positions "
                        "WHERE consumer = 'volunteers-wish-outcomes'"
                    )
                    == 2
                )
            finally:
                await connection.close()

        await wait_until(both_consumed, message="both deliveries consumed")
        [record] = await pending_of(volunteers, who)
        assert (record["source"], record["hours"], record["source_id"]) == (
            "wish",
            2.5,
            str(wish_id),
        )

    async def test_a_wish_confirmed_by_a_social_worker_verifies_its_hours_once(
        self, volunteers, volunteer, js, office, database_url
    ):
        who, other = await volunteer(), await volunteer(name="张华")
        confirmed, unconfirmed, social_worker = uuid4(), uuid4(), uuid4()

        def fulfilled(wish_id, claimant):
            return WishFulfilled(
                wish_id=wish_id,
                community_id="fengshan",
                claimant_id=UUID(claimant),
                claimant_kind="volunteer",
                hours=0.5,
            )

        confirmation = envelope_of(
            office,
            WishConfirmed(
                wish_id=confirmed, community_id="fengshan", confirmed_by=str(social_worker)
            ),
            4,
        )
        claimed = WishClaimed(
            wish_id=confirmed,
            community_id="fengshan",
            claimant_id=UUID(who),
            claimant_kind="volunteer",
        )
        await publish(
            js,
            envelope_of(office, claimed, 2),
            envelope_of(office, fulfilled(confirmed, who), 3),
            envelope_of(office, fulfilled(unconfirmed, other), 3),
            confirmation,
        )
        # The confirmation again, outside JetStream's duplicate window: verified once still.
        await js.publish(
            event_subject(office, WishConfirmed.type),
            confirmation.to_json(),
            stream=stream_name(office),
            headers={"Nats-Msg-Id": str(uuid4())},
        )
        sql = testing.sql(database_url)

        async def all_consumed():
            [(position,)] = await sql(
                "SELECT last_seq FROM volunteers.consumer_positions "
                "WHERE consumer = 'volunteers-wish-outcomes'"
            ) or [(0,)]
            return position == 5

        await wait_until(all_consumed, message="the wish's events consumed")
        [record] = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"]
        assert (record["state"], record["hours"], record["source_id"]) == (
            "verified",
            0.5,
            str(confirmed),
        )
        assert record["verified_by"] == str(social_worker)  # who confirmed the wish
        [(verifications,)] = await sql(
            "SELECT count(*) FROM volunteers.events WHERE event_type = $1",
            "wushe.volunteers.hours.verified.v1",
        )
        assert verifications == 1
        # A wish not confirmed (yet): its hours wait.
        [waiting] = await pending_of(volunteers, other)
        assert waiting["source_id"] == str(unconfirmed)

    async def test_wish_hours_corrected_before_the_confirmation_still_await_it(
        self, volunteers, runtime, volunteer, js, office, database_url
    ):
        who = await volunteer()
        wish_id = uuid4()
        async with runtime.store.transaction() as tx:
            await record_wish_hours(tx, wish_id, UUID(who), 1)

        async def correct(hours: float) -> dict:
            fixed = await volunteers.post(
                f"/hours/{record['record_id']}/correct",
                json={"hours": hours, "reason": "wrong-times"},
            )
            assert fixed.status_code == 200, fixed.text
            return fixed.json()

        [record] = await pending_of(volunteers, who)
        assert record["awaiting_confirmation"] is True
        # Corrected before the social worker confirms the wish: the confirmation verifies it.
        assert (await correct(0.5))["awaiting_confirmation"] is True
        [listed] = await pending_of(volunteers, who)
        assert (listed["reason"], listed["awaiting_confirmation"]) == ("wrong-times", True)

        confirmation = WishConfirmed(wish_id=wish_id, community_id="fengshan", confirmed_by=None)
        await publish(js, envelope_of(office, confirmation, 4))

        async def verified():
            [one] = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"]
            return one["state"] == "verified"

        await wait_until(verified, message="the confirmation verifying the corrected hours")
        # Corrected after it: no confirmation comes again, a coordinator reviews them.
        again = await correct(0.75)
        assert (again["state"], again["awaiting_confirmation"]) == ("pending", False)
        [listed] = await pending_of(volunteers, who)
        assert listed["awaiting_confirmation"] is False

    async def test_only_a_coordinator_of_the_volunteers_team_or_an_admin_judges_wish_hours(
        self, volunteers, runtime, volunteer, team, token_for
    ):
        team_id, coordinator = await team()
        who = await volunteer(phone="13900000091")
        await volunteers.post(f"/teams/{team_id}/members", json={"volunteer_id": who})
        _, elsewhere = await team(name="另一队")
        for _ in range(2):
            async with runtime.store.transaction() as tx:
                await record_wish_hours(tx, uuid4(), UUID(who), 2.0)
        first, second = await pending_of(volunteers, who)

        as_outsider = await token_for(Role.coordinator, person=elsewhere)
        refused = await volunteers.post(
            f"/hours/{first['record_id']}/verify", json={}, headers=as_outsider
        )
        assert refused.status_code == 409
        assert refused.json()["rule"] == "not_team_coordinator"
        as_theirs = await token_for(Role.coordinator, person=coordinator)
        verified = await volunteers.post(
            f"/hours/{first['record_id']}/verify", json={}, headers=as_theirs
        )
        assert (verified.json()["state"], verified.json()["verified_by"]) == (
            "verified",
            coordinator,
        )
        by_admin = await volunteers.post(f"/hours/{second['record_id']}/verify", json={})
        assert by_admin.json()["state"] == "verified"

    async def test_a_wish_fulfilled_by_an_unknown_volunteer_is_dead_lettered(
        self, volunteers, js, office
    ):
        fulfilled = WishFulfilled(
            wish_id=uuid4(),
            community_id="fengshan",
            claimant_id=uuid4(),
            claimant_kind="volunteer",
            hours=5,
        )
        envelope = envelope_of(office, fulfilled)
        await publish(js, envelope)

        async def dead_lettered():
            return (await volunteers.get("/dead-letters")).json() or None

        [letter] = await wait_until(dead_lettered, timeout=15, message="dead-lettered")
        assert letter["event_id"] == str(envelope.id)
        assert "no volunteer" in letter["reason"]
        assert (await volunteers.get(f"/hours?volunteer_id={fulfilled.claimant_id}")).json()[
            "items"
        ] == []


class TestCertificates:
    async def test_the_certificate_totals_the_verified_hours_and_its_code_checks_them(
        self, volunteers, runtime, volunteer, team, token_for
    ):
        team_id, coordinator = await team()
        who = await volunteer(display_name="李志愿者", show_name_publicly=True)
        for hours in (3, 2):
            await attended(runtime, UUID(team_id), UUID(who), hours)
        for record in await pending_of(volunteers, who):
            await volunteers.post(
                f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
            )
        issued = await volunteers.post(f"/volunteers/{who}/certificates")
        assert issued.status_code == 201, issued.text
        code = issued.json()["code"]
        shown = (await volunteers.get(f"/volunteers/{who}/certificate")).json()
        assert shown["total_hours"] == 5.0 == sum(line["hours"] for line in shown["lines"])
        assert shown["volunteer"]["name"] == "李明"
        assert shown["number"].endswith("-000001")
        page = await volunteers.get(f"/volunteers/{who}/certificate?format=html")
        assert "志愿服务记录证明" in page.text
        assert code in page.text
        # On paper, the address to check it is whole, and a QR code of it is printed beside.
        checked_at = f"{volunteers.base_url}/certificates/{code}"
        assert shown["verify"] == checked_at
        assert checked_at in page.text
        assert "<svg" in page.text

        # A volunteer token reads only the certificate of the volunteer it names.
        as_volunteer = await token_for(Role.volunteer, "v")
        nameless = await volunteers.get(f"/volunteers/{who}/certificate", headers=as_volunteer)
        assert nameless.status_code == 403
        as_another = await token_for(
            Role.volunteer, "v", person=await volunteer(phone="13900000099")
        )
        theirs = await volunteers.get(f"/volunteers/{who}/certificate", headers=as_another)
        assert theirs.status_code == 403
        assert "李明" not in theirs.text
        # Their own token (naming them) shows them their own name, and cannot issue.
        as_themself = await token_for(Role.volunteer, "v", person=who)
        forbidden = await volunteers.post(f"/volunteers/{who}/certificates", headers=as_themself)
        assert forbidden.status_code == 403
        mine = await volunteers.get(f"/volunteers/{who}/certificate", headers=as_themself)
        assert mine.json()["volunteer"]["name"] == "李明"
        profile = await volunteers.get(f"/volunteers/{who}", headers=as_themself)
        assert profile.json()["personal_data"]["name"] == "李明"
        reads = await volunteers.get(
            f"/audit/personal-data?subject_id={who}", headers=await token_for(Role.auditor)
        )
        assert [r["purpose"] for r in reads.json()["items"]] == [
            "volunteer record",
            "certificate",
            "certificate",
            "certificate",
        ]  # the admin's JSON and page, then their own; the public name is no disclosure

        public = (
            await volunteers.get(f"/certificates/{code}", headers={"Authorization": ""})
        ).json()
        assert (public["valid"], public["total_hours"], public["volunteer"]) == (
            True,
            5.0,
            "李*",  # the name on the paper, masked
        )
        assert "李明" not in str(public)

        # A correction changes the records: the old code no longer verifies…
        record = (await volunteers.get(f"/hours?volunteer_id={who}")).json()["items"][0]
        corrected = await volunteers.post(
            f"/hours/{record['record_id']}/correct",
            json={"coordinator_id": coordinator, "hours": 2.5, "reason": "left-early"},
        )
        assert corrected.json()["state"] == "pending"
        reverified = await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        assert (reverified.json()["state"], reverified.json()["reason"]) == (
            "verified",
            "left-early",
        )
        assert (await volunteers.get(f"/certificates/{code}")).json()["valid"] is False
        # …until a new certificate is issued.
        again = (await volunteers.post(f"/volunteers/{who}/certificates")).json()
        assert again["code"] != code
        assert again["number"].endswith("-000002")
        fresh = (await volunteers.get(f"/certificates/{again['code']}")).json()
        assert (fresh["valid"], fresh["total_hours"]) == (
            True,
            record["hours"] - 0.5 + (5.0 - record["hours"]),
        )

    async def test_hours_verified_after_a_certificate_leave_it_valid(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()

        async def verify_pending():
            for record in await pending_of(volunteers, who):
                await volunteers.post(
                    f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
                )

        await attended(runtime, UUID(team_id), UUID(who), 3)
        await verify_pending()
        code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]
        await attended(runtime, UUID(team_id), UUID(who), 2)
        await verify_pending()

        checked = (await volunteers.get(f"/certificates/{code}")).json()
        assert (checked["valid"], checked["total_hours"]) == (True, 3.0)
        shown = (await volunteers.get(f"/volunteers/{who}/certificate")).json()
        assert shown["valid"] is True
        assert [line["hours"] for line in shown["lines"]] == [3.0]  # what it covers, no more

    async def test_a_certificate_bears_the_dates_and_year_of_the_office(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        starts = datetime(2025, 5, 4, 23, 0, tzinfo=UTC)  # 07:00 on 5 May in Beijing
        activity_id = await schedule_signed_up(runtime.store, team_id, who, starts, hours=2)
        await commands.record_attendance(
            runtime.store,
            activity_id,
            commands.RecordAttendance(
                volunteer_id=who, checked_in_at=starts, checked_out_at=starts + timedelta(hours=2)
            ),
            datetime.now(UTC),
            caller=ADMIN,
        )
        [record] = await pending_of(volunteers, who)
        await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        new_years_morning = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 01:00, 1 January
        await issue_certificate(
            runtime.store, UUID(who), "TEST", new_years_morning, ZoneInfo("Asia/Shanghai")
        )

        shown = (await volunteers.get(f"/volunteers/{who}/certificate")).json()
        assert shown["number"] == "TEST-2026-000001"
        assert (shown["issued_on"], shown["lines"][0]["date"]) == ("2026-01-01", "2025-05-05")
        assert shown["issued_at"].startswith("2025-12-31T17:00")  # the instant, in UTC
        page = (await volunteers.get(f"/volunteers/{who}/certificate?format=html")).text
        assert "2026-01-01" in page
        assert "2025-12-31" not in page
        checked = (await volunteers.get(f"/certificates/{shown['code']}")).json()
        assert checked["issued_on"] == "2026-01-01"

    async def test_no_certificate_without_verified_hours(self, volunteers, volunteer):
        who = await volunteer()
        none_yet = await volunteers.get(f"/volunteers/{who}/certificate")
        assert none_yet.status_code == 404
        assert f"POST /volunteers/{who}/certificates" in none_yet.json()["detail"]
        refused = await volunteers.post(f"/volunteers/{who}/certificates")
        assert refused.status_code == 409
        assert refused.json()["rule"] == "no_verified_hours"

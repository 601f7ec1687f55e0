"""Needs answered by micro-venture grants and volunteer activities: an approved application or
a scheduled activity matches the open needs it names, from the other services' events on the
bus; a cancelled activity gives them back to the open list."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from wushe_events.catalogue.funds import ApplicationApproved, ApplicationSubmitted
from wushe_events.catalogue.volunteers import ActivityCancelled, ActivityScheduled
from wushe_events.testing import envelope_of, publish, wait_until


def submitted(application_id, need_ids):
    return ApplicationSubmitted(
        application_id=application_id,
        round_id=uuid4(),
        team_id=uuid4(),
        community_id="fengshan",
        title="长者助餐",
        requested_fen=500_000,
        need_ids=need_ids,
    )


def scheduled(activity_id, need_ids):
    starts = datetime.now(UTC) + timedelta(days=3)
    return ActivityScheduled(
        activity_id=activity_id,
        team_id=uuid4(),
        community_id="fengshan",
        title="上门理发",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=5,
        need_ids=need_ids,
    )


async def need(needs, need_id):
    response = await needs.get(f"/needs/{need_id}")
    assert response.status_code == 200, response.text
    return response.json()


class TestGrantsAnswerNeeds:
    async def test_an_approved_grant_matches_the_open_needs_it_names_and_only_those(
        self, needs, resident, surveyed, wish_body, js, office
    ):
        rid = await resident()
        meals, repair, company = await surveyed(
            rid,
            ("meal-delivery", "material", "high"),
            ("repair", "material", "low"),
            ("companionship", "spiritual", "normal"),
        )
        wish = await needs.post("/wishes", json=wish_body(need_id=repair, community_id=None))
        assert wish.status_code == 201, wish.text
        application_id, unknown = uuid4(), uuid4()
        await publish(js, envelope_of(office, submitted(application_id, [meals, repair, unknown])))
        rejected_elsewhere = uuid4()
        await publish(js, envelope_of(office, submitted(rejected_elsewhere, [company])))
        approved = ApplicationApproved(application_id=application_id, approved_fen=400_000)
        await publish(js, envelope_of(office, approved, 2))

        async def matched():
            listed = await need(needs, meals)
            return listed["state"] == "matched" and listed

        listed = await wait_until(matched, message="the granted need is matched")
        assert (listed["match_kind"], listed["match_id"]) == ("grant", str(application_id))
        answered_by_wish = await need(needs, repair)
        assert answered_by_wish["match_kind"] == "wish"
        # Submitted without approval: still open.
        assert (await need(needs, company))["state"] == "open"
        assert (await needs.get(f"/needs/{unknown}")).status_code == 404

    async def test_an_approval_delivered_before_its_application_still_matches(
        self, needs, resident, surveyed, js, office, sql
    ):
        rid = await resident()
        [meals] = await surveyed(rid, ("meal-delivery", "material", "high"))
        application_id = uuid4()
        approved = ApplicationApproved(application_id=application_id, approved_fen=400_000)
        await publish(js, envelope_of(office, approved, 2))
        await wait_until(lambda: _approved(sql, application_id), message="the approval is taken in")
        again = envelope_of(office, submitted(application_id, [meals]))
        await publish(js, again)
        await publish(js, again)  # delivered twice: matched once

        async def matched():
            return (await need(needs, meals))["state"] == "matched"

        await wait_until(matched, message="the need named late is matched")
        events = await sql(
            """SELECT count(*) FROM needs.events
               WHERE event_type = 'wushe.needs.need.matched.v1' AND aggregate_id = $1""",
            meals,
        )
        assert events[0][0] == 1


async def _approved(sql, application_id) -> bool:
    rows = await sql(
        "SELECT approved FROM needs.grant_needs WHERE application_id = $1", application_id
    )
    return bool(rows) and rows[0][0]


class TestActivitiesAnswerNeeds:
    async def test_a_scheduled_activity_matches_the_needs_it_names_until_it_is_cancelled(
        self, needs, resident, surveyed, js, office, sql
    ):
        rid = await resident()
        haircut, company = await surveyed(
            rid, ("haircut", "physical", "normal"), ("companionship", "spiritual", "normal")
        )
        activity_id = uuid4()
        await publish(js, envelope_of(office, scheduled(activity_id, [haircut])))

        async def matched():
            listed = await need(needs, haircut)
            return listed["state"] == "matched" and listed

        listed = await wait_until(matched, message="the need the activity serves is matched")
        assert (listed["match_kind"], listed["match_id"]) == ("activity", str(activity_id))
        assert (await need(needs, company))["state"] == "open"
        cancelled = ActivityCancelled(activity_id=activity_id, community_id="fengshan")
        await publish(js, envelope_of(office, cancelled, 2))

        async def reopened():
            return (await need(needs, haircut))["state"] == "open"

        await wait_until(reopened, message="the cancelled activity's need is open again")
        reasons = await sql(
            """SELECT data->>'match_kind' FROM needs.events
               WHERE event_type = 'wushe.needs.need.unmatched.v1' AND aggregate_id = $1""",
            haircut,
        )
        assert [r[0] for r in reasons] == ["activity"]

    async def test_an_activity_cancelled_before_its_schedule_arrives_matches_nothing(
        self, needs, resident, surveyed, js, office, sql
    ):
        rid = await resident()
        [haircut] = await surveyed(rid, ("haircut", "physical", "normal"))
        activity_id = uuid4()
        cancelled = ActivityCancelled(activity_id=activity_id, community_id="fengshan")
        await publish(js, envelope_of(office, cancelled, 2))

        async def cancelled_known():
            rows = await sql(
                "SELECT cancelled FROM needs.activity_needs WHERE activity_id = $1", activity_id
            )
            return bool(rows) and rows[0][0]

        await wait_until(cancelled_known, message="the cancellation is taken in")
        await publish(js, envelope_of(office, scheduled(activity_id, [haircut])))

        async def named():
            rows = await sql(
                "SELECT need_ids FROM needs.activity_needs WHERE activity_id = $1", activity_id
            )
            return rows[0][0] == [UUID(haircut)]

        await wait_until(named, message="the late schedule is taken in")
        assert (await need(needs, haircut))["state"] == "open"

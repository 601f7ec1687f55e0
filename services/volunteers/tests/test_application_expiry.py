"""Applications nobody decides are closed by the service after the office's retention
(`WUSHE_APPLICATION_RETENTION_DAYS`), over real PostgreSQL: once each, even when two replicas
sweep at once, the applicant's data shredded as a decision shreds it, a fresh one kept."""

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from wushe_events.catalogue.volunteers import ApplicationDeclined, ApplicationSubmitted
from wushe_events.errors import RuleBroken
from wushe_service import testing
from wushe_volunteers.commands import application_expiry, applications
from wushe_volunteers.domain import application

FORM = {
    "name": "陈小燕",
    "phone": "13812345678",
    "community_id": "fengshan",
    "birth_month": "1990-05",
    "skills": ["haircut"],
    "availability": "周末上午",
    "consent_personal_data": True,
}
ANYONE = {"Authorization": ""}


# The sweeps of these tests run at a time far ahead, and their applications are dated back
# from it: the service's own background sweep, at the real time, finds none of them due before
# the test's sweep does (a slow start let it expire one a test was about to decline).
AHEAD = timedelta(days=1000)


def sweep_time() -> datetime:
    return datetime.now(UTC) + AHEAD


async def submitted(volunteers, days_ago: float, *, ahead: bool = True, **changes) -> UUID:
    """An application submitted `days_ago` before the tests' sweep time (through the command,
    at that time); `ahead=False`: before now, for the service's own sweep."""
    then = (sweep_time() if ahead else datetime.now(UTC)) - timedelta(days=days_ago)
    command = applications.SubmitApplication.model_validate({**FORM, **changes})
    runtime = volunteers.app.state.runtime
    found = await applications.submit(
        runtime.store, volunteers.app.state.vault, command, then, date(2026, 12, 1)
    )
    assert found is not None
    return found


async def listed(volunteers, state: str) -> dict[str, dict]:
    answer = await volunteers.get(f"/applications?state={state}")
    assert answer.status_code == 200, answer.text
    return {a["application_id"]: a for a in answer.json()["items"]}


async def history(database_url, application_id: UUID) -> list[tuple[str, dict]]:
    rows = await testing.sql(database_url)(
        """SELECT event_type, data::text FROM volunteers.events
           WHERE aggregate = 'application' AND aggregate_id = $1 ORDER BY version""",
        str(application_id),
    )
    return [(r["event_type"], json.loads(r["data"])) for r in rows]


class TestSweep:
    async def test_an_old_pending_one_closes_once_even_with_two_sweeps_at_once(
        self, volunteers, database_url
    ):
        old = await submitted(volunteers, days_ago=91)
        fresh = await submitted(volunteers, days_ago=89, phone="13812345679")
        store = volunteers.app.state.runtime.store

        done = await asyncio.gather(
            application_expiry.sweep(store, sweep_time(), 90),
            application_expiry.sweep(store, sweep_time(), 90),
        )

        assert sum(done) == 1
        types = [t for t, _ in await history(database_url, old)]
        assert types == [
            "wushe.volunteers.application.submitted.v1",
            "wushe.volunteers.application.expired.v1",
        ]
        [(_, closed)] = (await history(database_url, old))[1:]
        assert closed == {
            "application_id": str(old),
            "community_id": "fengshan",
            "retention_days": 90,
        }
        expired = (await listed(volunteers, "expired"))[str(old)]
        assert expired["personal_data"] is None
        assert expired["decided_at"] is not None
        kept = (await listed(volunteers, "pending"))[str(fresh)]
        assert kept["personal_data"]["applicant_name"] == "陈小燕"
        assert await application_expiry.sweep(store, sweep_time(), 90) == 0

    async def test_the_applicant_s_data_is_shredded_and_the_phone_may_apply_again(
        self, volunteers, database_url
    ):
        old = await submitted(volunteers, days_ago=100)
        store = volunteers.app.state.runtime.store

        assert await application_expiry.sweep(store, sweep_time(), 90) == 1

        sql = testing.sql(database_url)
        [sealed] = await sql(
            "SELECT wrapped_key, ciphertext FROM volunteers.personal_data WHERE subject_id = $1",
            old,
        )
        assert (sealed["wrapped_key"], sealed["ciphertext"]) == (None, b"")
        phones = await sql(
            "SELECT 1 FROM volunteers.application_phones WHERE application_id = $1", old
        )
        assert phones == []
        again = await volunteers.post(
            "/join", data={**FORM, "consent_personal_data": "yes"}, headers=ANYONE
        )
        assert again.status_code == 200, again.text
        assert len(await listed(volunteers, "pending")) == 1
        refused = await volunteers.post(f"/applications/{old}/accept", json=None)
        assert refused.status_code == 409
        assert refused.json()["rule"] == "application_decided"

    async def test_a_backlog_larger_than_a_batch_goes_in_one_sweep(self, volunteers, monkeypatch):
        monkeypatch.setattr(application_expiry, "BATCH", 2)
        for n in range(5):
            await submitted(volunteers, days_ago=100, phone=f"1381234560{n}")
        store = volunteers.app.state.runtime.store

        assert await application_expiry.sweep(store, sweep_time(), 90) == 5
        assert await listed(volunteers, "pending") == {}

    async def test_one_a_coordinator_declined_meanwhile_stays_declined(
        self, volunteers, database_url
    ):
        old = await submitted(volunteers, days_ago=100)
        answer = await volunteers.post(
            f"/applications/{old}/decline", json={"reason": "unreachable"}
        )
        assert answer.status_code == 204, answer.text

        store = volunteers.app.state.runtime.store
        assert await application_expiry.sweep(store, sweep_time(), 90) == 0
        assert str(old) in await listed(volunteers, "declined")
        assert len(await history(database_url, old)) == 2


@pytest.mark.settings(application_retention_days=30)
async def test_the_service_closes_them_by_itself_after_the_office_s_retention(
    volunteers, database_url
):
    old = await submitted(volunteers, days_ago=31, ahead=False)
    fresh = await submitted(volunteers, days_ago=29, ahead=False, phone="13812345679")
    job = asyncio.create_task(application_expiry.keep_applications(volunteers.app.state.runtime))
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while str(old) not in await listed(volunteers, "expired"):
            assert asyncio.get_running_loop().time() < deadline, "not expired in 10 s"
            await asyncio.sleep(0.05)
    finally:
        job.cancel()
    [(_, closed)] = (await history(database_url, old))[1:]
    assert closed["retention_days"] == 30
    assert str(fresh) in await listed(volunteers, "pending")


class TestTheRule:
    A = uuid4()
    SUBMITTED = datetime(2026, 9, 1, tzinfo=UTC)

    def pending(self) -> application.Application:
        event = ApplicationSubmitted(application_id=self.A, community_id="fengshan", skills=[])
        return application.evolve_timed(None, event, self.SUBMITTED)

    def test_it_is_due_once_its_retention_days_have_passed(self):
        [event] = application.expire(
            self.pending(), self.A, self.SUBMITTED + timedelta(days=90), 90
        )
        closed = application.evolve(self.pending(), event)
        assert closed.state is application.ApplicationState.expired

    def test_it_is_not_due_a_moment_before(self):
        with pytest.raises(RuleBroken) as refused:
            application.expire(
                self.pending(), self.A, self.SUBMITTED + timedelta(days=90, seconds=-1), 90
            )
        assert refused.value.rule == "application_not_due"

    def test_a_decided_one_does_not_expire(self):
        declined = ApplicationDeclined(application_id=self.A, community_id="fengshan", reason="x")
        state = application.evolve_timed(self.pending(), declined, self.SUBMITTED)
        with pytest.raises(RuleBroken) as refused:
            application.expire(state, self.A, self.SUBMITTED + timedelta(days=365), 90)
        assert refused.value.rule == "application_decided"

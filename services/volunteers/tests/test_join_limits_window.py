"""The sign-up form's limits (/join) hold over any 60 minutes, not per clock hour: 30 forms at
10:59 and 30 more at 11:00 are not both let through; a form is let in again once enough have
left the window, and the 429 page says when. Racing connections (as two replicas) let no 31st
through; the forms are kept under a keyed digest, never the address, and only while in the
window. The clock is the one `join_limits.take` is given."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from wushe_service import testing
from wushe_volunteers import join_limits

from .test_join_limits import CLIENT, OTHER, applications, assert_refused, send

# A clock hour's start (the windows straddle it), a day ahead: the service's own sweep, on the
# real clock, deletes the forms of an hour ago, and would take the tests' from under them.
T = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


@pytest.fixture
def limits(volunteers):
    """`take(now, address, per_client, per_office)` on a pooled connection of its own, as a
    request of any replica would."""
    store, vault = volunteers.app.state.runtime.store, volunteers.app.state.vault

    async def take(now, address=CLIENT, per_client=30, per_office=300):
        async with store.connection() as db:
            client = join_limits.client_of(vault, now, address)
            return await join_limits.take(db, now, client, per_client, per_office)

    return take


async def kept(database_url):
    return await testing.sql(database_url)(
        "SELECT client, sent_at FROM volunteers.join_attempts ORDER BY sent_at"
    )


class TestAnySixtyMinutes:
    async def test_thirty_at_10_59_and_thirty_more_at_11_00_are_not_both_let_through(self, limits):
        for _ in range(30):
            assert await limits(at(59)) is None

        refused = await limits(at(60))

        assert refused == join_limits.Refused("client", 59 * 60)  # when the 10:59 forms leave

    async def test_a_form_is_let_in_again_once_the_oldest_has_left_the_window(self, limits):
        assert await limits(at(0), per_client=2) is None
        assert await limits(at(30), per_client=2) is None
        assert await limits(at(59.99), per_client=2) == join_limits.Refused("client", 1)

        assert await limits(at(60), per_client=2) is None  # the 10:00 form is an hour old
        refused = await limits(at(61), per_client=2)
        assert refused == join_limits.Refused("client", 29 * 60)  # the 10:30 one leaves next

    async def test_a_refused_form_is_not_counted(self, limits, database_url):
        assert await limits(at(0), per_client=1) is None
        for minute in (10, 20, 50):
            assert await limits(at(minute), per_client=1) is not None

        assert await limits(at(60), per_client=1) is None
        assert len(await kept(database_url)) == 1

    async def test_the_office_s_limit_counts_every_client_over_the_window(self, limits):
        for n, minute in enumerate((50, 55, 70)):
            assert await limits(at(minute), f"192.0.2.{n}", per_client=0, per_office=3) is None

        refused = await limits(at(80), "192.0.2.9", per_client=0, per_office=3)

        assert refused == join_limits.Refused("office", 30 * 60)  # the 10:50 form leaves

    async def test_a_limit_lowered_since_waits_for_enough_forms_to_leave(self, limits):
        for minute in (0, 10, 20):
            assert await limits(at(minute), per_client=3) is None

        # 3 in the window, now 2 allowed: the 10:00 and the 10:10 forms must leave.
        assert await limits(at(30), per_client=2) == join_limits.Refused("client", 40 * 60)


class TestRacing:
    async def test_forty_forms_at_once_from_one_client_let_thirty_through(
        self, limits, database_url
    ):
        answers = await asyncio.gather(*(limits(at(59)) for _ in range(40)))

        assert sum(a is None for a in answers) == 30
        assert {a.whose for a in answers if a is not None} == {"client"}
        assert len(await kept(database_url)) == 30

    async def test_racing_clients_let_no_more_than_the_office_s_limit_through(self, limits):
        answers = await asyncio.gather(
            *(limits(at(59), f"192.0.2.{n}", per_office=10) for n in range(15))
        )

        assert sum(a is None for a in answers) == 10


class TestKept:
    async def test_forms_are_kept_by_a_digest_and_deleted_once_out_of_the_window(
        self, limits, database_url
    ):
        for minute in (0, 30, 45):
            assert await limits(at(minute)) is None

        assert await limits(at(90), OTHER) is None

        rows = await kept(database_url)
        assert [r["sent_at"] for r in rows] == [at(45), at(90)]  # 10:00 and 10:30 deleted
        assert not any(
            CLIENT.encode() in r["client"] or OTHER.encode() in r["client"] for r in rows
        )

    async def test_the_sweep_deletes_what_no_form_since_has(self, limits, database_url, volunteers):
        assert await limits(at(0)) is None

        async with volunteers.app.state.runtime.store.connection() as db:
            await join_limits.forget(db, at(60))

        assert await kept(database_url) == []

    async def test_a_client_s_digest_changes_with_the_hour(self, volunteers):
        vault = volunteers.app.state.vault
        ten, eleven = (join_limits.client_of(vault, at(m), CLIENT) for m in (30, 90))

        assert ten.now != eleven.now
        assert ten.now == eleven.before  # so that 10:xx's forms count at 11:xx


class TestThePage:
    @pytest.mark.settings(join_limit_per_client=2)
    async def test_the_429_page_says_in_how_many_minutes_the_oldest_form_leaves(
        self, volunteers, database_url
    ):
        now = datetime.now(UTC)
        vault = volunteers.app.state.vault
        for ago in (50, 20):  # minutes
            sent = now - timedelta(minutes=ago)
            await testing.sql(database_url)(
                "INSERT INTO volunteers.join_attempts (client, sent_at) VALUES ($1, $2)",
                join_limits.client_of(vault, sent, CLIENT).now,
                sent,
            )

        refused = await send(volunteers, 0)

        assert_refused(refused, "您所在的网络")
        assert 9 * 60 < int(refused.headers["retry-after"]) <= 10 * 60
        assert "请约 10 分钟后" in refused.text
        assert await applications(database_url) == 0

"""A phone number is one serving volunteer: a second registration of it is a 409."""

import asyncio

from wushe_service import testing

from .conftest import VOLUNTEER


async def _registered(database_url) -> int:
    rows = await testing.sql(database_url)("SELECT count(*) FROM volunteers.volunteers")
    return rows[0][0]


class TestOnePerPhone:
    async def test_a_second_volunteer_with_the_same_phone_is_refused_naming_the_first(
        self, volunteers, volunteer, database_url
    ):
        first = await volunteer()
        before = await _registered(database_url)

        again = await volunteers.post(
            "/volunteers", json={**VOLUNTEER, "name": "李明明", "phone": "139 1234 5678"}
        )

        assert again.status_code == 409, again.text
        assert again.json()["rule"] == "volunteer_exists"
        assert first in again.json()["detail"]
        assert "13912345678" not in again.text
        assert await _registered(database_url) == before

    async def test_a_suspended_volunteer_blocks_it_and_a_withdrawn_one_does_not(
        self, volunteers, volunteer
    ):
        first = await volunteer()
        await volunteers.post(f"/volunteers/{first}/suspend")
        suspended = await volunteers.post("/volunteers", json=VOLUNTEER)
        assert suspended.status_code == 409
        await volunteers.post(f"/volunteers/{first}/withdraw")
        anew = await volunteers.post("/volunteers", json=VOLUNTEER)
        assert anew.status_code == 201, anew.text

    async def test_of_two_racing_registrations_one_wins(self, volunteers, database_url):
        before = await _registered(database_url)
        responses = await asyncio.gather(
            *(volunteers.post("/volunteers", json=VOLUNTEER) for _ in range(4))
        )
        assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
        assert await _registered(database_url) == before + 1

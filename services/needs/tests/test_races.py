"""What starts serving a resident (or a claimant) and what stops it, at the same moment: each
test holds one transaction open at its critical point and lets the other run meanwhile."""

import asyncio
from uuid import UUID

import pytest

from wushe_events.catalogue.volunteers import VolunteerSuspended
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_needs import queries, store
from wushe_needs.commands import merges as merge_commands
from wushe_needs.commands import surveys as survey_commands
from wushe_needs.commands import wishes as wish_commands

from .conftest import RESIDENT


class Hold:
    """Stops `module.name`, once it has answered (and `when` its arguments), until `go_on`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module, name: str, when=None) -> None:
        self.reached, self.go_on = asyncio.Event(), asyncio.Event()
        original = getattr(module, name)

        async def held(*args, **kwargs):
            result = await original(*args, **kwargs)
            if when is None or when(*args):
                self.reached.set()
                await self.go_on.wait()
            return result

        monkeypatch.setattr(module, name, held)


def after_loading_the_resident(monkeypatch, module) -> Hold:
    return Hold(monkeypatch, module, "load", lambda _tx, aggregate, *_: aggregate == "resident")


WAITING_FOR_A_LOCK = """SELECT count(*) FROM pg_locks WHERE NOT granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"""


@pytest.fixture
def meanwhile(sql):
    """Runs `other` while a transaction is held, until it is `settled` (default: done) or waits
    for a lock; then lets the held one go on and gives both results."""

    async def run(hold: Hold, started: asyncio.Task, other, settled=None):
        await hold.reached.wait()
        task = asyncio.ensure_future(other)

        async def finished_or_waiting():
            if await settled() if settled else task.done():
                return True
            return (await sql(WAITING_FOR_A_LOCK))[0][0] > 0

        await wait_until(finished_or_waiting, message="the other command done or waiting")
        hold.go_on.set()
        return await started, await task

    return run


async def test_an_erasure_during_the_posting_of_a_wish_cancels_that_wish(
    needs, resident, wish_body, monkeypatch, meanwhile
):
    rid = await resident()
    hold = after_loading_the_resident(monkeypatch, wish_commands)
    posting = asyncio.ensure_future(needs.post("/wishes", json=wish_body(resident_id=rid)))

    posted, erased = await meanwhile(hold, posting, needs.delete(f"/residents/{rid}/personal-data"))

    assert erased.status_code == 200, erased.text
    if posted.status_code == 201:  # posted first: the erasure took the wish off the board
        wish_id = posted.json()["wish_id"]
        assert erased.json()["cancelled_wishes"] == [wish_id]
        assert (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "cancelled"
    else:
        assert posted.json()["rule"] == "resident_erased"
    assert (await needs.get("/public/wishes")).json()["items"] == []


async def test_a_withdrawal_of_consent_during_a_survey_closes_the_needs_it_found(
    needs, resident, levels, monkeypatch, meanwhile
):
    rid = await resident()
    consent = {"purpose": "services", "given_by": "self"}
    assert (await needs.post(f"/residents/{rid}/consents", json=consent)).status_code == 204
    hold = after_loading_the_resident(monkeypatch, survey_commands)
    found = [{"category": "meal-delivery", "dimension": "material", "urgency": "high"}]
    survey = {"resident_id": rid, "method": "home_visit", "dimensions": levels, "needs": found}
    surveying = asyncio.ensure_future(needs.post("/surveys", json=survey))

    recorded, withdrawn = await meanwhile(
        hold, surveying, needs.post(f"/residents/{rid}/consents/services/withdraw")
    )

    assert withdrawn.status_code == 200, withdrawn.text
    if recorded.status_code == 201:
        [need_id] = recorded.json()["need_ids"]
        assert withdrawn.json()["closed_needs"] == [need_id]
        assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "closed"
    else:
        assert recorded.json()["rule"] == "consent_withdrawn"
    listed = await needs.get("/communities/fengshan/needs")
    assert listed.json()["items"] == []


async def test_a_suspension_during_a_claim_gives_the_wish_back(
    needs, community, known_volunteer, wish_body, monkeypatch, meanwhile, js, office, sql
):
    await community()
    wish_id = (await needs.post("/wishes", json=wish_body())).json()["wish_id"]
    volunteer = await known_volunteer()
    hold = Hold(monkeypatch, store, "claimant")
    claiming = asyncio.ensure_future(
        needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer})
    )
    suspended = VolunteerSuspended(volunteer_id=UUID(volunteer), community_id="fengshan")

    async def inactive():
        rows = await sql("SELECT active FROM needs.claimants WHERE claimant_id = $1", volunteer)
        return not rows[0]["active"]

    claimed, _ = await meanwhile(
        hold, claiming, publish(js, envelope_of(office, suspended, 2)), inactive
    )

    assert claimed.status_code == 200, claimed.text

    async def back_on_the_board():
        return (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "posted"

    await wait_until(back_on_the_board, message="the suspended volunteer's claim given back")
    refused = await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer})
    assert refused.json()["rule"] == "claimant_inactive"


async def test_a_second_registration_of_one_person_meanwhile_waits_and_is_refused(
    needs, community, monkeypatch, meanwhile, count_events
):
    await community()
    body = {
        "community_id": "fengshan",
        "groups": ["elderly_alone"],
        "birth_year": 1940,
        "name": "孙阿婆",
        "phone": "13957401111",
    }
    hold = Hold(monkeypatch, queries, "kept_in")  # looked for namesakes, not yet registered
    first = asyncio.ensure_future(needs.post("/residents", json=body))

    registered, second = await meanwhile(hold, first, needs.post("/residents", json=body))

    assert registered.status_code == 201, registered.text
    assert second.status_code == 409, second.text
    assert second.json()["rule"] == "possible_duplicate"
    assert registered.json()["resident_id"] in second.json()["detail"]
    assert await count_events() == 2  # the community, one resident


@pytest.mark.parametrize("second_way", ["back", "again"])
async def test_two_merges_of_one_pair_at_once_never_both_pass(
    needs, resident, surveyed, monkeypatch, meanwhile, second_way
):
    """A→B held once it has loaded both records; B→A (or A→B again) meanwhile waits for the
    lock on the pair, then sees A merged and is refused."""
    a = await resident()
    b = (
        await needs.post(
            "/residents",
            json={**RESIDENT, "name": "王秀瑛", "id_number": None, "not_a_duplicate": True},
        )
    ).json()["resident_id"]
    [found] = await surveyed(a, ("daily-goods", "material", "high"))
    hold = after_loading_the_resident(monkeypatch, merge_commands)
    first = asyncio.ensure_future(needs.post(f"/residents/{a}/merge", json={"into": b}))
    other = (b, a) if second_way == "back" else (a, b)
    second = needs.post(f"/residents/{other[0]}/merge", json={"into": other[1]})

    merged, refused = await meanwhile(hold, first, second)

    assert merged.status_code == 200, merged.text
    assert merged.json()["transferred_needs"] == [found]
    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "resident_merged"
    assert refused.json()["merged_into"] == b
    assert (await needs.get(f"/residents/{b}")).json()["merged_into"] is None
    assert (await needs.get(f"/needs/{found}")).json()["resident_id"] == b

"""`wushe events dead-letters` as an operator runs it."""

import asyncio
import json
from functools import partial

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.consumer import Poison
from wushe_events.testing import envelope_of

from .conftest import dead_letters_command


async def test_lists_the_dead_letters_of_the_office(nats_url, office, dead_lettered):
    async def refuse(_tx, _envelope):
        raise Poison("no projection for this")

    event = envelope_of(
        office, CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
    )
    await dead_lettered(refuse, event)

    run = partial(dead_letters_command, nats_url, office)

    as_json = await asyncio.to_thread(run, "--json")
    assert as_json.returncode == 0, as_json.stderr
    [shown] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert (shown["consumer"], shown["event_id"], shown["reason"]) == (
        "reporting-facts",
        str(event.id),
        "Poison: no projection for this",
    )
    assert "丰山社区" not in as_json.stdout
    table = await asyncio.to_thread(run)
    assert "reporting-facts" in table.stdout
    assert "/dead-letters/retry" in table.stdout
    none = await asyncio.to_thread(run, "--consumer", "needs-claimants")
    assert "no dead letters" in none.stdout

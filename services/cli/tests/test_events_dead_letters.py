"""`wushe events dead-letters` as an operator runs it."""

import asyncio
import json
from functools import partial

from wushe_events import dead_letters
from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.consumer import Consumer, ConsumerSpec, Poison
from wushe_events.subjects import office_subjects, stream_name
from wushe_events.testing import envelope_of, publish, wait_until

from .conftest import dead_letters_command


async def test_lists_the_dead_letters_of_the_office(nats_url, js, office, event_store, background):
    async def refuse(_tx, _envelope):
        raise Poison("no projection for this")

    spec = ConsumerSpec("reporting-facts", stream_name(office), office_subjects(office), refuse)
    event = envelope_of(
        office, CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
    )
    await publish(js, event)
    background(Consumer(spec, event_store, js, office=office).run())

    async def dead():
        return await dead_letters.read(js, office) or None

    await wait_until(dead, timeout=15, message="the event dead-lettered")

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

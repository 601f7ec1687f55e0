"""`wushe events dead-letters` withholds a title its reason quotes, as `GET /dead-letters` does."""

import asyncio
import json
from datetime import UTC, datetime
from functools import partial
from uuid import uuid4

from wushe_events.catalogue.needs import WishPosted
from wushe_events.consumer import Poison
from wushe_events.testing import envelope_of

from .conftest import dead_letters_command

TITLE = "给王奶奶换一个新轮椅"


async def test_a_title_in_the_reason_is_withheld(nats_url, office, dead_lettered):
    async def refuse(_tx, envelope):
        raise Poison(f"wish {envelope.data['title']} of no community known here")

    wish = WishPosted(
        wish_id=uuid4(),
        community_id="fengshan",
        resident_id=uuid4(),
        category="repair",
        title=TITLE,
        estimated_value_fen=8000,
        deadline=datetime(2026, 12, 31, tzinfo=UTC),
    )
    event = envelope_of(office, wish)
    await dead_lettered(refuse, event)

    run = partial(dead_letters_command, nats_url, office)

    as_json = await asyncio.to_thread(run, "--json")
    assert as_json.returncode == 0, as_json.stderr
    [shown] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert (shown["event_id"], shown["reason"], shown["withheld"]) == (
        str(event.id),
        "Poison: wish (withheld) of no community known here",
        {"title": 10},
    )
    table = await asyncio.to_thread(run)
    assert table.returncode == 0, table.stderr
    assert "(withheld)" in table.stdout
    assert "王奶奶" not in as_json.stdout + table.stdout

"""A micro-wish's hours on a certificate name who organised and checked the service — the
office, whose social worker posted the wish and confirmed it done (谁组织谁记录) — not a dash
a university's reader cannot take for an organisation."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from wushe_volunteers.commands.hours import record_wish_hours, verify_wish_hours


async def test_a_wishs_line_names_the_office_as_its_organiser(volunteers, runtime, volunteer):
    who = await volunteer()
    wish_id = uuid4()
    async with runtime.store.transaction() as tx:
        await record_wish_hours(tx, wish_id, UUID(who), 1.5)
    async with runtime.store.transaction() as tx:
        await verify_wish_hours(tx, wish_id, datetime.now(UTC))
    issued = await volunteers.post(f"/volunteers/{who}/certificates")
    assert issued.status_code == 201, issued.text

    shown = (await volunteers.get(f"/volunteers/{who}/certificate")).json()
    page = (await volunteers.get(f"/volunteers/{who}/certificate?format=html")).text

    [line] = shown["lines"]
    assert (line["source"], line["hours"]) == ("wish", 1.5)
    assert line["organiser"] == shown["issuer"]
    assert "<td>—</td>" not in page

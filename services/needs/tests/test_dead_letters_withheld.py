"""`GET /dead-letters` and `POST /dead-letters/retry` withhold a public name the reason quoted,
as 审计查询 does, and keep what an operator needs — against the real PostgreSQL and NATS."""

from uuid import uuid4

from wushe_events import dead_letters
from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_service.auth import Role


async def test_a_volunteer_s_public_name_in_the_reason_is_withheld(needs, js, office, token_for):
    broken = envelope_of(
        office,
        VolunteerRegistered(
            volunteer_id=uuid4(),
            community_id="fengshan",
            certification="none",
            display_name="小王同学",
        ),
    )
    broken.data.pop("certification")  # pydantic's error quotes the rest, the name at its end
    broken.data.pop("application_id")
    await publish(js, broken)
    as_auditor = await token_for(Role.auditor)

    async def listed():
        return (await needs.get("/dead-letters", headers=as_auditor)).json() or None

    [letter] = await wait_until(listed, timeout=15, message="the event dead-lettered")
    [kept] = await dead_letters.read(js, office)
    assert "_name': '小王同学'}" in kept.reason  # as the consumer gave it up, read back as text
    assert (letter["consumer"], letter["event_id"], letter["event_type"], letter["deliveries"]) == (
        "needs-claimants",
        str(broken.id),
        "wushe.volunteers.volunteer.registered.v1",
        1,
    )
    assert letter["reason"].startswith(  # a header's lines joined, as NATS keeps it
        "ValidationError: 1 validation error for VolunteerRegistered certification "
        "  Field required [type=missing, input_value=(withheld), input_type=dict]"
    )
    assert "小王" not in letter["reason"]
    assert letter["withheld"] == {"display_name": 4}
    assert letter["subject"].endswith(".volunteers.volunteer.registered")

    [failing] = (await needs.post("/dead-letters/retry")).json()["failing"]  # the admin's token
    assert failing["event_id"] == str(broken.id)
    assert "input_value=(withheld), input_type=dict]" in failing["reason"]
    assert "小王" not in failing["reason"]
    assert failing["withheld"] == {"display_name": 4}

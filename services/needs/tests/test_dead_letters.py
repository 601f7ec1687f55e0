"""Dead letters seen and retried through a service: `GET /dead-letters`, `POST …/retry`."""

from uuid import uuid4

from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_service.auth import Role


async def test_an_event_the_service_cannot_apply_is_listed_and_kept_by_a_retry(
    needs, js, office, token_for
):
    broken = envelope_of(
        office,
        VolunteerRegistered(
            volunteer_id=uuid4(), community_id="fengshan", certification="none", display_name=None
        ),
    )
    broken.data.pop("certification")  # as an older or newer producer might send it
    await publish(js, broken)

    as_auditor = await token_for(Role.auditor)

    async def listed():
        letters = (await needs.get("/dead-letters", headers=as_auditor)).json()
        return letters or None

    [letter] = await wait_until(listed, timeout=15, message="the event dead-lettered")
    assert (letter["consumer"], letter["event_id"], letter["event_type"]) == (
        "needs-claimants",
        str(broken.id),
        "wushe.volunteers.volunteer.registered.v1",
    )
    assert "certification" in letter["reason"]
    metrics = (await needs.get("/metrics")).text  # for an alert: dead letters waiting
    assert 'wushe_dead_letters_kept{consumer="needs-claimants"} 1.0' in metrics
    assert 'wushe_consumer_pending{consumer="needs-claimants"} 0.0' in metrics

    refused = await needs.post("/dead-letters/retry", headers=as_auditor)
    assert refused.status_code == 403
    retried = (await needs.post("/dead-letters/retry")).json()  # the admin's token
    assert retried["applied"] == []
    [failing] = retried["failing"]
    assert failing["event_id"] == str(broken.id)
    assert "certification" in failing["reason"]
    assert [d["event_id"] for d in (await needs.get("/dead-letters")).json()] == [str(broken.id)]

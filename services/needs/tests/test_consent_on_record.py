"""A consent on record given again is answered as on record, as an import answers it: nothing
is appended and the day it was given stays; one withdrawn is recorded again."""

from __future__ import annotations


def _consents(view: dict) -> dict[str, dict]:
    return {c["purpose"]: c for c in view["consents"]}


async def test_the_same_consent_again_is_on_record_and_changes_nothing(
    needs, resident, count_events
):
    someone = await resident(consent={"given_by": "self"})
    first = await needs.post(
        f"/residents/{someone}/consents", json={"purpose": "services", "given_by": "self"}
    )
    assert first.status_code == 204, first.text
    before = (await needs.get(f"/residents/{someone}")).json()
    events = await count_events()

    for _ in range(2):
        again = await needs.post(
            f"/residents/{someone}/consents", json={"purpose": "services", "given_by": "self"}
        )
        assert again.status_code == 200, again.text
        answer = again.json()
        given = _consents(before)["services"]
        assert (answer["consent"], answer["purpose"], answer["given_by"]) == (
            "on_record",
            "services",
            "self",
        )
        assert answer["given_at"][:19] == given["given_at"][:19]
        assert "not recorded again" in answer["note"]

    assert await count_events() == events
    after = (await needs.get(f"/residents/{someone}")).json()
    assert _consents(after) == _consents(before)
    assert after["consent_history"] == before["consent_history"]


async def test_personal_data_consent_given_at_registration_is_on_record(needs, resident):
    someone = await resident(consent={"given_by": "self"})
    again = await needs.post(
        f"/residents/{someone}/consents", json={"purpose": "personal_data", "given_by": "self"}
    )
    assert again.status_code == 200, again.text
    assert again.json()["consent"] == "on_record"


async def test_a_consent_withdrawn_is_recorded_again(needs, resident, count_events):
    someone = await resident(consent={"given_by": "self"})
    body = {"purpose": "sharing", "given_by": "self"}
    assert (await needs.post(f"/residents/{someone}/consents", json=body)).status_code == 204
    withdrawn = await needs.post(f"/residents/{someone}/consents/sharing/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    events = await count_events()
    again = await needs.post(f"/residents/{someone}/consents", json=body)
    assert again.status_code == 204, again.text
    assert await count_events() == events + 1
    view = (await needs.get(f"/residents/{someone}")).json()
    assert "sharing" in _consents(view)
    changes = [(c["change"], c["purpose"]) for c in view["consent_history"]]
    assert changes[-3:] == [
        ("granted", "sharing"),
        ("withdrawn", "sharing"),
        ("granted", "sharing"),
    ]


async def test_an_unknown_resident_is_still_a_404(needs, community):
    await community()
    answer = await needs.post(
        "/residents/00000000-0000-4000-8000-000000000000/consents",
        json={"purpose": "services", "given_by": "self"},
    )
    assert answer.status_code == 404, answer.text


async def test_a_guardians_consent_for_one_the_resident_gave_is_recorded(
    needs, resident, count_events
):
    someone = await resident(consent={"given_by": "self"})
    events = await count_events()
    guardian = await needs.post(
        f"/residents/{someone}/consents",
        json={"purpose": "personal_data", "given_by": "guardian"},
    )
    assert guardian.status_code == 204, guardian.text
    assert await count_events() == events + 1
    view = (await needs.get(f"/residents/{someone}")).json()
    assert _consents(view)["personal_data"]["given_by"] == "guardian"

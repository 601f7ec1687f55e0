"""Reasons: a code on the bus, the words in a note kept in this service only."""

from uuid import UUID

import pytest

from wushe_service import testing
from wushe_service.auth import Role

from .test_hours import attended, pending_of

WORDS = "未到场，签到记录系他人代签"


async def _events(database_url) -> str:
    rows = await testing.sql(database_url)("SELECT data::text FROM volunteers.events")
    return "\n".join(r[0] for r in rows)


@pytest.fixture
def pending(volunteers, runtime, volunteer, team):
    """A pending hours record: (record id, the volunteer's id, the coordinator's id)."""

    async def make():
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who))
        [record] = await pending_of(volunteers, who)
        return record["record_id"], who, coordinator

    return make


class TestHoursNotes:
    @pytest.mark.parametrize(
        ("verb", "body", "field"),
        [
            ("decline", {"reason": WORDS}, "reason"),
            ("correct", {"hours": 1, "reason": "提前离场"}, "reason"),
            ("decline", {"note": "代签\x00"}, "note"),
            ("decline", {"note": "长" * 2001}, "note"),
            ("decline", {"note": ""}, "note"),
        ],
    )
    async def test_free_text_as_a_reason_or_an_unstorable_note_is_a_422_changing_nothing(
        self, volunteers, pending, database_url, verb, body, field
    ):
        record_id, _, _ = await pending()
        before = await _events(database_url)

        refused = await volunteers.post(f"/hours/{record_id}/{verb}", json=body)

        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        if field == "reason":
            assert "note" in refused.json()["detail"]
        assert await _events(database_url) == before
        assert (await volunteers.get(f"/hours/{record_id}")).json()["state"] == "pending"

    async def test_a_decline_in_words_stays_here_shown_to_staff_and_the_volunteer(
        self, volunteers, pending, database_url, token_for, volunteer
    ):
        record_id, who, coordinator = await pending()
        as_coordinator = await token_for(Role.coordinator, person=coordinator)

        declined = await volunteers.post(
            f"/hours/{record_id}/decline", json={"note": WORDS}, headers=as_coordinator
        )

        assert declined.status_code == 200, declined.text
        assert (declined.json()["reason"], declined.json()["notes"][0]["note"]) == (
            "other",
            WORDS,
        )
        assert WORDS not in await _events(database_url)
        as_them = await token_for(Role.volunteer, person=who)
        shown = (await volunteers.get(f"/hours/{record_id}", headers=as_them)).json()["notes"]
        assert [(n["kind"], n["note"]) for n in shown] == [("declined", WORDS)]
        other = await volunteer(phone="13900000091")
        for reader in (await token_for(Role.volunteer, person=other), await token_for(Role.viewer)):
            assert (await volunteers.get(f"/hours/{record_id}", headers=reader)).json()[
                "notes"
            ] == []

        corrected = await volunteers.post(
            f"/hours/{record_id}/correct",
            json={"hours": 2, "reason": "left-early", "note": "提前离场"},
            headers=as_coordinator,
        )
        assert [n["kind"] for n in corrected.json()["notes"]] == ["declined", "corrected"]
        shown = (await volunteers.get(f"/hours/{record_id}", headers=as_them)).json()["notes"]
        assert [n["kind"] for n in shown] == ["declined"]  # a correction's note is for staff

        erased = await volunteers.delete(f"/volunteers/{who}/personal-data")
        assert erased.status_code == 200
        assert (await volunteers.get(f"/hours/{record_id}")).json()["notes"] == []


class TestCancellationNotes:
    async def test_a_cancellation_in_words_is_a_note_and_a_chinese_reason_a_422(
        self, volunteers, team, activity, token_for, database_url
    ):
        team_id, _ = await team()
        activity_id = await activity(team_id)
        url = f"/activities/{activity_id}/cancel"

        refused = await volunteers.post(url, json={"reason": "下雨"})
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "reason"
        cancelled = await volunteers.post(url, json={"reason": "weather", "note": "下雨"})

        assert cancelled.status_code == 200, cancelled.text
        assert [n["note"] for n in cancelled.json()["notes"]] == ["下雨"]
        assert "下雨" not in await _events(database_url)
        shown = await volunteers.get(
            f"/activities/{activity_id}", headers=await token_for(Role.viewer)
        )
        assert (shown.json()["state"], "notes" in shown.json()) == ("cancelled", False)

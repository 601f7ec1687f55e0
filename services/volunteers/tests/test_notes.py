"""Reasons: a code on the bus, the words in a note kept in this service only."""

from uuid import UUID

import pytest

from wushe_service import testing
from wushe_service.auth import Role
from wushe_volunteers import notes

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


class TestNotesAboutAVolunteerAreTheirPersonalData:
    async def test_a_note_is_sealed_under_the_volunteers_key_and_read_logged(
        self, volunteers, pending, database_url, token_for
    ):
        record_id, who, coordinator = await pending()
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        await volunteers.post(
            f"/hours/{record_id}/decline", json={"note": WORDS}, headers=as_coordinator
        )
        sql = testing.sql(database_url)
        # Nothing in clear: not in the notes table, not in the sealed one.
        assert await sql("SELECT 1 FROM volunteers.notes") == []
        [row] = await sql("SELECT subject_id, ciphertext FROM volunteers.personal_data_notes")
        assert str(row["subject_id"]) == who
        assert WORDS.encode() not in row["ciphertext"]
        before = await sql(
            "SELECT count(*) FROM volunteers.personal_data_reads WHERE purpose = 'notes'"
        )
        shown = (await volunteers.get(f"/hours/{record_id}", headers=as_coordinator)).json()
        assert [n["note"] for n in shown["notes"]] == [WORDS]
        after = await sql(
            "SELECT count(*) FROM volunteers.personal_data_reads WHERE purpose = 'notes'"
        )
        assert after[0][0] == before[0][0] + 1

    async def test_erasure_shreds_the_notes_and_none_can_be_written_about_them_after(
        self, volunteers, pending, database_url
    ):
        record_id, who, _ = await pending()
        await volunteers.post(
            f"/hours/{record_id}/correct",
            json={"hours": 1, "reason": "left-early", "note": "提前离场，由王协调确认"},
        )
        assert (await volunteers.delete(f"/volunteers/{who}/personal-data")).status_code == 200
        sql = testing.sql(database_url)
        assert await sql("SELECT 1 FROM volunteers.personal_data_notes") == []
        assert (await volunteers.get(f"/hours/{record_id}")).json()["notes"] == []
        before = await _events(database_url)

        refused = await volunteers.post(f"/hours/{record_id}/decline", json={"note": WORDS})

        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "volunteer_erased"
        assert await _events(database_url) == before
        assert await sql("SELECT 1 FROM volunteers.notes") == []
        assert (await volunteers.get(f"/hours/{record_id}")).json()["state"] == "pending"
        # The reason code alone is still taken: it names no one.
        declined = await volunteers.post(f"/hours/{record_id}/decline", json={"reason": "absent"})
        assert declined.status_code == 200, declined.text

    async def test_notes_kept_in_clear_before_are_sealed_at_start_or_dropped_if_erased(
        self, volunteers, runtime, pending, database_url
    ):
        record_id, who, _ = await pending()
        other_record, erased, _ = await pending()
        assert (await volunteers.delete(f"/volunteers/{erased}/personal-data")).status_code == 200
        sql = testing.sql(database_url)
        for subject, volunteer_id, text in (
            (record_id, who, WORDS),
            (other_record, erased, "代签"),
        ):
            await sql(
                """INSERT INTO volunteers.notes (subject_id, kind, volunteer_id, note, written_at)
                   VALUES ($1, 'declined', $2, $3, '2026-01-02T03:04:05Z')""",
                UUID(subject),
                UUID(volunteer_id),
                text,
            )

        async with runtime.store.connection() as db:
            assert await notes.seal_plain_notes(volunteers.app.state.vault, db) == 1
            assert await notes.seal_plain_notes(volunteers.app.state.vault, db) == 0

        assert await sql("SELECT 1 FROM volunteers.notes") == []
        [shown] = (await volunteers.get(f"/hours/{record_id}")).json()["notes"]
        assert (shown["kind"], shown["note"]) == ("declined", WORDS)
        assert shown["written_at"].startswith("2026-01-02T03:04:05")
        assert (await volunteers.get(f"/hours/{other_record}")).json()["notes"] == []

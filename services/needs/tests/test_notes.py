"""Notes (走访记录) with surveys and needs: personal data of the resident, sealed under their
data key, shown to social workers and admins only (read-logged), never on the bus or in a log
line, and shredded with the resident."""

import json
import logging
from uuid import UUID

import pytest

from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until
from wushe_service import notes as sealed_notes
from wushe_service.auth import Role
from wushe_service.personal_data import Vault, new_office_key, parse_office_key

VISIT = "轮椅坏了，右侧刹车失灵\n下周再去看看"
NEED = "每周两次送餐，忌辣"
RESOLUTION = "街道助餐点已安排，女儿同意付费"
TEXTS = (VISIT, "轮椅坏了", NEED, RESOLUTION)


@pytest.fixture
def record(needs, levels):
    """Records a home visit of the resident with notes, and a need with notes of its own."""

    async def post(resident_id: str, **changes) -> dict:
        body = {
            "resident_id": resident_id,
            "method": "home_visit",
            "dimensions": levels,
            "notes": VISIT,
            "needs": [
                {"category": "meal-delivery", "dimension": "material", "notes": NEED},
                {"category": "repair", "dimension": "physical"},
            ],
            **changes,
        }
        response = await needs.post("/surveys", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return post


@pytest.fixture
def read_log(needs, token_for):
    async def read(resident_id: str) -> list[tuple[str, str]]:
        auditor = await token_for(Role.auditor)
        log = await needs.get(f"/audit/personal-data?subject_id={resident_id}", headers=auditor)
        return [(r["reader_role"], r["purpose"]) for r in reversed(log.json()["items"])]

    return read


@pytest.fixture
def count_notes(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.personal_data_notes"))[0][0]

    return count


async def test_a_visit_record_is_shown_to_social_workers_only_and_read_logged(
    needs, resident, record, token_for, read_log
):
    rid = await resident()
    surveyed = await record(rid)
    [fed, _repaired] = surveyed["need_ids"]
    worker, auditor = await token_for(Role.social_worker), await token_for(Role.auditor)

    shown = await needs.get(f"/surveys/{surveyed['survey_id']}", headers=worker)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["has_notes"], shown.json()["notes"]) == (True, VISIT)
    assert [n["notes"] for n in shown.json()["needs"]] == [NEED, None]
    audited = await needs.get(f"/surveys/{surveyed['survey_id']}", headers=auditor)
    assert (audited.json()["has_notes"], audited.json()["notes"]) == (True, None)
    assert not any(text in audited.text for text in TEXTS)
    assert await read_log(rid) == [("social_worker", "survey notes")]

    case_file = await needs.get(f"/residents/{rid}/timeline", headers=worker)
    noted = {i["type"]: i["notes"] for i in case_file.json()["items"] if "notes" in i}
    assert noted == {
        "wushe.needs.survey.recorded.v1": VISIT,
        "wushe.needs.need.identified.v1": NEED,
    }
    flagged = [i["aggregate_id"] for i in case_file.json()["items"] if i["data"].get("has_notes")]
    assert flagged == [surveyed["survey_id"], fed]
    assert await read_log(rid) == [
        ("social_worker", "survey notes"),
        ("social_worker", "case file"),
    ]
    audited_file = await needs.get(f"/residents/{rid}/timeline", headers=auditor)
    assert not any(text in audited_file.text for text in TEXTS)
    assert len(await read_log(rid)) == 2  # nothing shown to the auditor, nothing logged


async def test_a_need_resolved_with_notes_shows_them_on_the_need(
    needs, resident, surveyed, token_for, read_log, sql
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("meal-delivery", "material", "high"))
    worker = await token_for(Role.social_worker)
    resolved = await needs.post(
        f"/needs/{need_id}/resolve",
        json={"outcome": "resolved", "reason": "service-provided", "notes": RESOLUTION},
        headers=worker,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["state"] == "resolved"
    assert RESOLUTION not in resolved.text  # written, not read back: no disclosure
    assert await read_log(rid) == []

    shown = (await needs.get(f"/needs/{need_id}", headers=worker)).json()
    assert (shown["notes"], shown["resolution_notes"]) == (None, RESOLUTION)
    assert await read_log(rid) == [("social_worker", "need notes")]
    for role in (Role.auditor, Role.volunteer, Role.viewer):
        seen = await needs.get(f"/needs/{need_id}", headers=await token_for(role))
        assert seen.status_code == 200, seen.text
        assert "resolution_notes" not in seen.json()
        assert RESOLUTION not in seen.text
    [event] = await sql(
        "SELECT data FROM needs.events WHERE event_type = 'wushe.needs.need.resolved.v1'"
    )
    assert json.loads(event["data"])["has_notes"] is True


async def test_notes_and_names_never_reach_the_bus_nor_the_logs(
    needs, resident, record, token_for, js, office, relay, caplog
):
    caplog.set_level(logging.DEBUG)
    rid = await resident()
    surveyed = await record(rid)
    worker = await token_for(Role.social_worker)
    [fed, _] = surveyed["need_ids"]
    resolved = await needs.post(
        f"/needs/{fed}/resolve",
        json={"outcome": "resolved", "reason": "service-provided", "notes": RESOLUTION},
    )
    assert resolved.status_code == 200, resolved.text
    for path in (
        f"/surveys/{surveyed['survey_id']}",
        f"/needs/{fed}",
        f"/residents/{rid}/timeline",
    ):
        assert (await needs.get(path, headers=worker)).status_code == 200
    for path in ("/residents", "/residents/due", "/communities/fengshan/needs", "/wishes"):
        listed = await needs.get(path, params={"with": "personal_data"}, headers=worker)
        assert listed.status_code == 200, listed.text

    async def resolution_published():
        found = await stream_messages(js, stream_name(office))
        types = [json.loads(m.data)["type"] for m in found]
        return found if "wushe.needs.need.resolved.v1" in types else None

    messages = await wait_until(resolution_published, message="the resolution reaches the bus")
    bodies = [json.loads(m.data) for m in messages]
    [survey] = [b["data"] for b in bodies if b["type"] == "wushe.needs.survey.recorded.v1"]
    assert survey["has_notes"] is True
    on_the_bus = "\n".join(
        m.data.decode() + json.dumps(m.headers, ensure_ascii=False) for m in messages
    )
    logs = caplog.text
    assert f"/needs/{fed}/resolve" in logs  # the requests were logged
    for secret in (*TEXTS, "王秀英", "13812345678", "丰山社区3幢"):
        assert secret not in on_the_bus, f"{secret!r} is on the bus"
        assert secret not in logs, f"{secret!r} is in the logs"


async def test_erasure_shreds_the_notes_and_no_more_are_taken(
    needs, resident, record, token_for, sql, count_events, count_notes, read_log
):
    rid = await resident(consent={"given_by": "self"})
    surveyed = await record(rid)
    [fed, _] = surveyed["need_ids"]
    sealed = await sql("SELECT ciphertext FROM needs.personal_data_notes")
    assert len(sealed) == 2
    assert not any(text.encode() in row["ciphertext"] for row in sealed for text in TEXTS)

    worker = await token_for(Role.social_worker)
    withdrawn = await needs.post(
        f"/residents/{rid}/consents/personal_data/withdraw", headers=worker
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["erased"] is True
    assert await count_notes() == 0
    shown = (await needs.get(f"/surveys/{surveyed['survey_id']}", headers=worker)).json()
    assert (shown["has_notes"], shown["notes"]) == (True, None)
    assert [n["notes"] for n in shown["needs"]] == [None, None]
    case_file = await needs.get(f"/residents/{rid}/timeline", headers=worker)
    assert not any("notes" in i for i in case_file.json()["items"])
    assert await read_log(rid) == []

    before = await count_events()
    again = await needs.post(
        "/surveys",
        json={
            "resident_id": rid,
            "method": "phone",
            "dimensions": shown["dimensions"],
            "notes": "x",
        },
    )
    assert again.status_code == 409, again.text
    assert again.json()["rule"] == "resident_erased"
    assert "no notes" in again.json()["detail"]
    closing = await needs.post(
        f"/needs/{fed}/resolve", json={"outcome": "closed", "reason": "moved-away", "notes": "x"}
    )
    assert closing.status_code == 409, closing.text
    assert closing.json()["rule"] == "resident_erased"
    assert (await count_events(), await count_notes()) == (before, 0)


async def test_notes_survive_a_correction_of_the_record_and_a_new_office_key(
    needs, runtime, resident, record, token_for
):
    rid = await resident()
    surveyed = await record(rid)
    vault: Vault = needs.app.state.vault
    async with runtime.store.transaction() as tx:  # as a correction of the resident would
        await vault.save(tx.raw, UUID(rid), {"name": "王秀瑛", "birth_year": 1949})
    worker = await token_for(Role.social_worker)
    shown = (await needs.get(f"/surveys/{surveyed['survey_id']}", headers=worker)).json()
    assert shown["notes"] == VISIT
    person = (await needs.get(f"/residents/{rid}", headers=worker)).json()
    assert person["personal_data"]["name"] == "王秀瑛"

    old = runtime.settings.office_key.get_secret_value()
    rotated = Vault(parse_office_key(new_office_key()), [parse_office_key(old)])
    async with runtime.store.connection() as db:
        assert (await rotated.rotate(db)).rewrapped == 1
        about = [f"survey/{surveyed['survey_id']}"]
        opened = await sealed_notes.disclose(
            rotated, db, UUID(rid), about, to=UUID(int=1), purpose="test"
        )
    assert opened == {about[0]: VISIT}


@pytest.mark.parametrize(
    ("path", "changes", "field", "says"),
    [
        ("survey", {"notes": "轮椅\x00坏了"}, "notes", "NUL"),
        ("survey", {"notes": "轮" * 2001}, "notes", "at most 2000"),
        ("survey", {"notes": " \n "}, "notes", "blank"),
        ("survey", {"notes": 7}, "notes", "string"),
        (
            "survey",
            {"needs": [{"category": "repair", "dimension": "physical", "notes": "轮" * 2001}]},
            "needs.0.notes",
            "at most 2000",
        ),
        ("resolve", {"notes": "轮椅\x00坏了"}, "notes", "NUL"),
        ("resolve", {"notes": "轮" * 2001}, "notes", "at most 2000"),
    ],
)
async def test_bad_notes_are_a_422_naming_the_field_and_change_nothing(
    needs, resident, surveyed, levels, count_events, count_notes, path, changes, field, says
):
    rid = await resident()
    [need_id] = await surveyed(rid, ("repair", "material", "low"))
    before = (await count_events(), await count_notes())
    if path == "survey":
        body = {"resident_id": rid, "method": "home_visit", "dimensions": levels, **changes}
        response = await needs.post("/surveys", json=body)
    else:
        body = {"outcome": "resolved", "reason": "service-provided", **changes}
        response = await needs.post(f"/needs/{need_id}/resolve", json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert says in error["message"]
    assert "轮椅" not in response.text  # never echoed
    assert (await count_events(), await count_notes()) == before
    assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"

"""A consent given on the row of a resident on record (the file imported again, with the
consent the office has obtained since): recorded for them once, by the rules of recording a
consent, and said in the report — never dropped silently."""

import io
from datetime import UTC, datetime
from uuid import uuid4

import openpyxl

from wushe_events.aggregate import load
from wushe_events.catalogue.needs import TargetGroup
from wushe_needs.domain import community as places
from wushe_needs.domain import resident
from wushe_service.identity import check_digit

from .conftest import RESIDENT, sheet_upload

HEADERS = ["姓名", "身份证号", "出生年份", "人群类别", "社区", "同意"]
ON_RECORD = [RESIDENT["name"], RESIDENT["id_number"], "", "独居老人", "丰山社区", "本人"]
NAMESAKE = [RESIDENT["name"], "", "1949", "老人", "丰山社区", "本人"]


def xlsx(*rows) -> dict:
    return sheet_upload(HEADERS, *rows)


async def consents(needs, resident_id: str) -> list[tuple[str, str]]:
    shown = (await needs.get(f"/residents/{resident_id}")).json()
    return [(c["purpose"], c["given_by"]) for c in shown["consents"]]


async def test_a_consent_on_the_row_of_a_resident_on_record_is_recorded_for_them_once(
    needs, resident, count_events
):
    kept = await resident()  # registered without a consent (暂未取得)
    assert await consents(needs, kept) == []

    before = await count_events()
    checked = await needs.post("/residents/import/check", files=xlsx(ON_RECORD))
    assert checked.status_code == 200, checked.text
    [row] = checked.json()["rows"]
    assert (row["status"], row["resident_id"], row["consent"]) == (
        "already_registered",
        kept,
        "to_be_recorded",
    )
    assert "导入时将为其记录本人同意保存个人信息" in row["note"]
    assert await count_events() == before  # a check writes nothing

    imported = await needs.post("/residents/import", files=xlsx(ON_RECORD))
    assert imported.status_code == 200, imported.text
    [row] = imported.json()["rows"]
    assert (row["status"], row["consent"]) == ("already_registered", "recorded")
    assert "已为其记录本人同意保存个人信息" in row["note"]
    assert await consents(needs, kept) == [("personal_data", "self")]
    assert await count_events() == before + 1

    again = await needs.post("/residents/import", files=xlsx(ON_RECORD))
    [row] = again.json()["rows"]
    assert row["consent"] == "on_record"
    assert "未重复记录" in row["note"]
    assert await count_events() == before + 1


async def test_a_consent_on_the_row_of_a_possible_duplicate_is_not_recorded(
    needs, resident, count_events
):
    kept = await resident()
    before = await count_events()
    imported = await needs.post("/residents/import", files=xlsx(NAMESAKE))
    [row] = imported.json()["rows"]
    assert (row["status"], row["consent"]) == ("possible_duplicate", None)
    assert await consents(needs, kept) == []
    assert await count_events() == before


async def test_the_checked_spreadsheet_says_the_consent_will_be_recorded(needs, resident):
    await resident()
    answer = await needs.post("/residents/import/check.xlsx", files=xlsx(ON_RECORD))
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    heads = [c.value for c in sheet[1]]
    problems = sheet[2][heads.index("问题")].value
    assert problems.startswith("已登记")
    assert "导入时将为其记录本人同意保存个人信息" in problems


async def test_a_childs_consent_on_record_is_recorded_from_a_guardian_only(
    needs, runtime, community, count_events
):
    """A child under 14 kept without a consent on record (as before the rule, or an old
    record): the row's 本人 is refused on 同意 and not recorded; 监护人 is recorded."""
    await community()
    child_id = "33028120180601002" + check_digit("33028120180601002")
    kept = uuid4()
    now = datetime.now(UTC)
    async with runtime.store.transaction() as tx:
        where = await load(tx, "community", "fengshan", places.evolve)
        events = resident.register(
            where.state,
            kept,
            "fengshan",
            [TargetGroup.child],
            resident.Birth(2018),
            now,
            with_personal_data=False,
            consent_by=None,
        )
        await tx.append(0, events, now=now)
        await needs.app.state.vault.save(
            tx.raw, kept, {"name": "赵小明", "id_number": child_id, "birth_year": 2018}
        )

    by_self = ["赵小明", child_id, "", "儿童", "丰山社区", "本人"]
    before = await count_events()
    answer = await needs.post("/residents/import", files=xlsx(by_self))
    [row] = answer.json()["rows"]
    assert (row["status"], row["consent"]) == ("already_registered", "not_recorded")
    assert [(e["column"], e["type"]) for e in row["errors"]] == [
        ("同意", "guardian_consent_required")
    ]
    assert "同意未记录" in row["note"]
    assert answer.json()["counts"]["already_registered"] == 1
    assert await count_events() == before

    by_guardian = [*by_self[:-1], "监护人"]
    answer = await needs.post("/residents/import", files=xlsx(by_guardian))
    [row] = answer.json()["rows"]
    assert (row["consent"], row["errors"]) == ("recorded", [])
    assert await consents(needs, str(kept)) == [("personal_data", "guardian")]

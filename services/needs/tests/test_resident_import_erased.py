"""A resident whose personal data was erased is not registered again from the spreadsheet the
office kept: the import knows their ID number by its keyed digest alone, refuses the row
(已申请删除个人信息), and leaves a return with a new consent to a registration by hand."""

import io

import openpyxl
import pytest

from .conftest import RESIDENT, sheet_upload

HEADERS = ["姓名", "身份证号", "出生年份", "人群类别", "社区", "同意"]
ROW = [RESIDENT["name"], RESIDENT["id_number"], "", "独居老人", "丰山社区", "本人"]


def xlsx(*rows) -> dict:
    return sheet_upload(HEADERS, *rows)


@pytest.fixture
def count_residents(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.residents"))[0][0]

    return count


async def imported_then_erased(needs, community) -> str:
    await community()
    first = await needs.post("/residents/import", files=xlsx(ROW))
    [row] = first.json()["rows"]
    assert row["status"] == "registered", first.text
    erased = await needs.delete(f"/residents/{row['resident_id']}/personal-data")
    assert erased.status_code == 200, erased.text
    return row["resident_id"]


async def test_the_row_of_an_erased_resident_is_refused_and_nothing_is_registered(
    needs, community, count_residents, count_events
):
    await imported_then_erased(needs, community)
    before = (await count_residents(), await count_events())

    checked = await needs.post("/residents/import/check", files=xlsx(ROW))
    assert checked.status_code == 200, checked.text
    [row] = checked.json()["rows"]
    assert (row["status"], row["matched_by"], row["resident_id"]) == ("erased", "id_number", None)
    assert row["note"].startswith("已申请删除个人信息")
    assert checked.json()["counts"]["erased"] == 1

    again = await needs.post("/residents/import", files=xlsx(ROW))
    assert again.status_code == 200, again.text
    assert [r["status"] for r in again.json()["rows"]] == ["erased"]
    assert again.json()["counts"]["registered"] == 0
    assert (await count_residents(), await count_events()) == before


async def test_only_a_keyed_digest_of_the_id_number_is_kept(needs, community, sql):
    resident_id = await imported_then_erased(needs, community)
    kept = await sql("SELECT digest, erased_at FROM needs.erased_id_numbers")
    assert len(kept) == 1
    digest = bytes(kept[0][0])
    assert len(digest) == 32  # an HMAC-SHA256
    number = RESIDENT["id_number"].encode()
    assert number not in digest
    vault = needs.app.state.vault
    assert digest == vault.digest("id_number", RESIDENT["id_number"])
    indexed = await sql(
        "SELECT count(*) FROM needs.personal_data_index WHERE subject_id = $1", resident_id
    )
    assert indexed[0][0] == 0  # the blind index forgets them, as before


async def test_a_withdrawn_consent_to_keep_personal_data_is_remembered_too(needs, resident):
    kept = await resident(consent={"given_by": "self"})
    withdrawn = await needs.post(f"/residents/{kept}/consents/personal_data/withdraw", json={})
    assert withdrawn.status_code == 200, withdrawn.text
    answer = await needs.post("/residents/import/check", files=xlsx(ROW))
    assert [r["status"] for r in answer.json()["rows"]] == ["erased"]


async def test_who_comes_back_and_is_registered_by_hand_is_on_record_to_the_import(
    needs, community
):
    await imported_then_erased(needs, community)
    back = await needs.post("/residents", json={**RESIDENT, "consent": {"given_by": "self"}})
    assert back.status_code == 201, back.text
    answer = await needs.post("/residents/import/check", files=xlsx(ROW))
    [row] = answer.json()["rows"]
    assert (row["status"], row["resident_id"]) == ("already_registered", back.json()["resident_id"])


async def test_the_checked_spreadsheet_says_the_row_is_not_imported(needs, community):
    await imported_then_erased(needs, community)
    answer = await needs.post("/residents/import/check.xlsx", files=xlsx(ROW))
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    heads = [c.value for c in sheet[1]]
    assert sheet[2][1].value == "已申请删除个人信息，未导入"
    assert "请将这一行从台账中删去" in sheet[2][heads.index("问题")].value

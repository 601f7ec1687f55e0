"""Namesakes in the residents import (王秀英 is common): a row that only a name and a birth
year or phone tie to a resident on record is a possible duplicate — neither registered nor
taken for them — for the social worker to decide; an ID number alone says it is the same
person, and two different ID numbers that it is not."""

import io

import openpyxl
import pytest

from wushe_service.identity import check_digit

from .conftest import sheet_upload

HEADERS = ["姓名", "身份证号", "出生年份", "手机号", "人群类别", "社区", "同意"]
OTHER_1949 = "11010519490601" + "003"  # another person born in 1949
OTHER_1949 += check_digit(OTHER_1949)


def xlsx(*rows) -> dict:
    return sheet_upload(HEADERS, *rows)


NAMESAKE = ["王秀英", "", "1949", "", "老人", "丰山社区", "本人"]  # as RESIDENT, without an ID


@pytest.fixture
def count_residents(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.residents"))[0][0]

    return count


async def test_a_namesake_of_the_same_birth_year_is_a_possible_duplicate_left_to_decide(
    needs, resident, count_residents
):
    kept = await resident()  # 王秀英, 1949, 13812345678, with an ID number
    checked = await needs.post("/residents/import/check", files=xlsx(NAMESAKE))
    assert checked.status_code == 200, checked.text
    [row] = checked.json()["rows"]
    assert (row["status"], row["matched_by"], row["resident_id"]) == (
        "possible_duplicate",
        "name",
        kept,
    )
    assert "确认是另一位同名居民" in row["note"]
    assert checked.json()["counts"]["possible_duplicate"] == 1

    imported = await needs.post("/residents/import", files=xlsx(NAMESAKE))
    assert imported.status_code == 200, imported.text
    counts = imported.json()["counts"]
    assert (counts["registered"], counts["already_registered"]) == (0, 0)
    assert counts["possible_duplicate"] == 1
    assert await count_residents() == 1


async def test_a_namesake_by_phone_is_a_possible_duplicate_too(needs, resident):
    await resident()
    by_phone = ["王秀英", "", "1951", "13812345678", "老人", "丰山社区", ""]
    answer = await needs.post("/residents/import/check", files=xlsx(by_phone))
    assert answer.json()["rows"][0]["status"] == "possible_duplicate"


async def test_two_id_numbers_that_differ_are_two_people_of_one_name(
    needs, resident, count_residents
):
    await resident()
    other = ["王秀英", OTHER_1949, "1949", "", "老人", "丰山社区", "本人"]
    answer = await needs.post("/residents/import", files=xlsx(other))
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"][0]["status"] == "registered"
    assert await count_residents() == 2


async def test_the_other_person_registered_by_hand_is_not_registered_again_by_the_file(
    needs, resident, count_residents
):
    await resident()
    # The social worker found it is another 王秀英 and registered her as the note says.
    alone = await needs.post(
        "/residents",
        json={
            "community_id": "fengshan",
            "groups": ["elderly"],
            "birth_year": 1949,
            "name": "王秀英",
            "not_a_duplicate": True,
        },
    )
    assert alone.status_code == 201, alone.text
    again = await needs.post("/residents/import", files=xlsx(NAMESAKE))
    assert again.json()["rows"][0]["status"] == "possible_duplicate"
    assert await count_residents() == 2


async def test_the_checked_spreadsheet_says_a_possible_duplicate_and_what_to_do(needs, resident):
    await resident()
    answer = await needs.post("/residents/import/check.xlsx", files=xlsx(NAMESAKE))
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    heads = [c.value for c in sheet[1]]
    written = sheet[2]
    assert written[1].value == "可能重复，未导入"
    assert written[heads.index("问题")].value.startswith("可能重复")
    assert written[1].font.color.rgb == "FF9A6700"


async def test_the_templates_instructions_say_how_namesakes_and_erased_residents_are_told(
    needs, resident
):
    answer = await needs.get("/residents/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    told = "\n".join(str(row[1].value) for row in book["填写说明"].iter_rows())
    assert "可能重复" in told
    assert "已申请删除个人信息" in told
    assert "补记同意" in told

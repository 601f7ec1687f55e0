"""The home-visit record (入户走访记录表): `GET /surveys/{id}?format=html`, a page to print
for the case file, with the resident's name, address and phone and the notes for those who may
read personal data (read-logged), without them for the rest, never cached."""

from uuid import uuid4

import pytest

from wushe_service.auth import Role

from .conftest import RESIDENT

VISIT = "轮椅坏了<script>alert(1)</script>\n下周再去看看"
NEED = "每周两次送餐，忌辣"
PAGE = {"format": "html"}


@pytest.fixture
def record(needs, levels):
    async def post(resident_id: str, headers: dict | None = None, **changes) -> str:
        body = {
            "resident_id": resident_id,
            "method": "home_visit",
            "dimensions": levels,
            "surveyed_at": "2026-01-06T17:30:00Z",  # 2026-01-07 01:30 in Shanghai
            "notes": VISIT,
            "needs": [
                {"category": "meal-delivery", "dimension": "material", "notes": NEED},
                {"category": "repair", "dimension": "physical", "urgency": "high"},
            ],
            **changes,
        }
        response = await needs.post("/surveys", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return str(response.json()["survey_id"])

    return post


@pytest.fixture
def read_log(needs, token_for):
    async def read(resident_id: str) -> list[tuple[str, str]]:
        auditor = await token_for(Role.auditor)
        log = await needs.get(f"/audit/personal-data?subject_id={resident_id}", headers=auditor)
        assert log.status_code == 200, log.text
        return [(r["reader_role"], r["purpose"]) for r in reversed(log.json()["items"])]

    return read


async def test_a_social_worker_gets_the_record_sheet_with_the_resident_and_the_notes(
    needs, resident, record, token_for
):
    rid = await resident()
    survey_id = await record(rid)
    worker = await token_for(Role.social_worker)

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers=worker)

    assert sheet.status_code == 200, sheet.text
    assert sheet.headers["content-type"].startswith("text/html")
    assert sheet.headers["cache-control"] == "no-store"
    for shown in ("入户走访记录表", RESIDENT["name"], RESIDENT["address"], RESIDENT["phone"]):
        assert shown in sheet.text
    for words in ("身体", "2 中度", "心理", "1 轻度", "物质", "3 重度", "精神", "0 无"):
        assert words in sheet.text
    for label in ("送餐", "维修", "较急", NEED):
        assert label in sheet.text
    assert "轮椅坏了&lt;script&gt;alert(1)&lt;/script&gt;" in sheet.text
    assert "<script>" not in sheet.text
    assert "2026年01月07日 01:30" in sheet.text
    assert "<th>社区</th><td>丰山社区</td>" in sheet.text  # its name, not its slug too
    for line in ("走访人签名", "居民（或监护人）签名", "日期"):
        assert line in sheet.text


async def test_the_sheet_names_the_surveyor_as_their_token_does(needs, resident, record, token_for):
    rid = await resident()
    worker = await token_for(Role.social_worker, "王社工", person=uuid4())
    survey_id = await record(rid, headers=worker)

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers=worker)

    assert "<th>走访人</th><td>王社工</td>" in sheet.text


async def test_a_browsers_accept_gets_the_sheet_and_json_stays_json(needs, resident, record):
    rid = await resident()
    survey_id = await record(rid)

    browser = await needs.get(f"/surveys/{survey_id}", headers={"Accept": "text/html"})
    plain = await needs.get(f"/surveys/{survey_id}")
    asked = await needs.get(f"/surveys/{survey_id}?format=json", headers={"Accept": "text/html"})

    assert "入户走访记录表" in browser.text
    assert plain.json()["notes"] == VISIT
    assert asked.json()["survey_id"] == survey_id
    assert "cache-control" not in plain.headers


async def test_reading_the_sheet_is_logged_as_a_visit_record(
    needs, resident, record, token_for, read_log
):
    rid = await resident()
    survey_id = await record(rid)
    worker = await token_for(Role.social_worker)

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers=worker)

    assert sheet.status_code == 200, sheet.text
    assert await read_log(rid) == [
        ("social_worker", "visit record: name, address, phone"),
        ("social_worker", "visit record"),
    ]


async def test_an_auditor_gets_the_sheet_without_the_resident_or_the_notes(
    needs, resident, record, token_for, read_log
):
    rid = await resident()
    survey_id = await record(rid)
    auditor = await token_for(Role.auditor)

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers=auditor)

    assert sheet.status_code == 200, sheet.text
    assert "（无权查看个人信息）" in sheet.text
    for hidden in (RESIDENT["name"], RESIDENT["address"], RESIDENT["phone"], NEED, "轮椅坏了"):
        assert hidden not in sheet.text
    assert "送餐" in sheet.text
    assert await read_log(rid) == []


async def test_a_volunteer_gets_a_403_page_as_the_json_route_does(
    needs, resident, record, token_for
):
    rid = await resident()
    survey_id = await record(rid)
    volunteer = await token_for(Role.volunteer)

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers=volunteer)
    answer = await needs.get(f"/surveys/{survey_id}", headers=volunteer)

    assert sheet.status_code == 403
    assert answer.status_code == 403
    assert "无权查看" in sheet.text
    assert RESIDENT["name"] not in sheet.text


async def test_no_token_is_a_401_page_in_chinese(needs, resident, record):
    survey_id = await record(await resident())

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE, headers={"Authorization": ""})

    assert sheet.status_code == 401
    assert sheet.headers["content-type"].startswith("text/html")
    assert "需要登录" in sheet.text


async def test_an_unknown_survey_is_a_404_page(needs):
    sheet = await needs.get(f"/surveys/{uuid4()}", params=PAGE)

    assert sheet.status_code == 404
    assert sheet.headers["content-type"].startswith("text/html")
    assert "调研记录" in sheet.text


async def test_the_sheet_of_an_erased_resident_says_their_data_was_erased(
    needs, resident, record, read_log
):
    rid = await resident()
    survey_id = await record(rid)
    erased = await needs.delete(f"/residents/{rid}/personal-data")
    assert erased.status_code == 200, erased.text

    sheet = await needs.get(f"/surveys/{survey_id}", params=PAGE)

    assert sheet.status_code == 200, sheet.text
    assert "个人信息已删除" in sheet.text
    assert "（已随个人信息删除）" in sheet.text
    for gone in (RESIDENT["name"], RESIDENT["phone"], "轮椅坏了"):
        assert gone not in sheet.text
    assert ("admin", "visit record: name, address, phone") not in await read_log(rid)


async def test_a_spot_checks_sheet_names_the_survey_it_verifies_and_its_discrepancy(
    needs, resident, record, token_for, levels
):
    rid = await resident()
    surveyor = await token_for(Role.social_worker, person=uuid4())
    checker = await token_for(Role.social_worker, person=uuid4())
    checked = await record(rid, headers=surveyor)
    spot = await record(
        rid,
        headers=checker,
        method="spot_check",
        verifies_survey_id=checked,
        surveyed_at="2026-01-08T02:00:00Z",
        dimensions=levels | {"material": 1},
        needs=[],
        notes=None,
    )

    check_sheet = await needs.get(f"/surveys/{spot}", params=PAGE)
    checked_sheet = await needs.get(f"/surveys/{checked}", params=PAGE)

    assert "随机抽查" in check_sheet.text
    assert "抽查的调研</th><td>2026年01月07日 01:30 入户走访（走访人 " in check_sheet.text
    assert f"调研编号 {checked}）</td>" in check_sheet.text
    assert f"调研编号 {spot}）：有出入：物质" in checked_sheet.text


async def test_the_openapi_document_keeps_the_surveys_json_answer(needs):
    route = (await needs.get("/openapi.json")).json()["paths"]["/surveys/{survey_id}"]["get"]

    answer = route["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/SurveyView"}
    assert "format" in [p["name"] for p in route["parameters"]]

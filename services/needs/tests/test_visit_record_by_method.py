"""The record sheet of a survey (`GET /surveys/{id}?format=html`) is named and signed as what was
done: a phone survey is no home visit, and its resident, never met, signs nothing — against
the real PostgreSQL and NATS."""

import pytest

from wushe_service.auth import Role

PAGE = {"format": "html"}


@pytest.fixture
def recorded(needs, levels, resident):
    async def record(method: str, **changes) -> str:
        someone = await resident()
        body = {"resident_id": someone, "method": method, "dimensions": levels, **changes}
        response = await needs.post("/surveys", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["survey_id"])

    return record


async def test_a_phone_survey_s_sheet_is_a_phone_interview_record_with_no_resident_signature(
    needs, recorded, token_for
):
    survey_id = await recorded("phone")
    sheet = await needs.get(
        f"/surveys/{survey_id}", params=PAGE, headers=await token_for(Role.social_worker)
    )
    assert sheet.status_code == 200, sheet.text
    assert "<h1>电话访谈记录表</h1>" in sheet.text
    assert "<title>电话访谈记录表" in sheet.text
    assert "入户走访" not in sheet.text
    assert "<th>访谈人</th>" in sheet.text
    assert "<th>访谈人签名</th>" in sheet.text
    assert "居民（或监护人）签名" not in sheet.text


async def test_a_home_visit_s_sheet_is_still_signed_by_the_resident(needs, recorded, token_for):
    survey_id = await recorded("home_visit")
    sheet = await needs.get(
        f"/surveys/{survey_id}", params=PAGE, headers=await token_for(Role.social_worker)
    )
    assert "<h1>入户走访记录表</h1>" in sheet.text
    for line in ("<th>走访人</th>", "<th>走访人签名</th>", "居民（或监护人）签名"):
        assert line in sheet.text

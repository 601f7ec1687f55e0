"""The /join form and its receipt tell the applicant how long an undecided application is kept
(PIPL art. 17: the keeping period is told before the data is given), as the office sets it."""

import pytest

from wushe_service import testing


@pytest.mark.settings(application_retention_days=30)
async def test_the_form_and_the_receipt_name_the_office_s_keeping_period(volunteers):
    form = await testing.public_page(volunteers, "/join")
    assert "30 天内无人处理的，报名自动关闭，个人信息同样删除" in form

    sent = await volunteers.post(
        "/join",
        data={
            "name": "陈小燕",
            "phone": "13812345678",
            "community_id": "fengshan",
            "birth_month": "1990-05",
            "consent_personal_data": "yes",
        },
        headers={"Authorization": ""},
    )

    assert sent.status_code == 200, sent.text
    assert "如 30 天内没有人与您联系，报名会自动关闭" in sent.text

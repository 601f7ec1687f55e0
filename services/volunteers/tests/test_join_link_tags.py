"""A /join link as the office prints it on posters and QR codes, with a tracking tag of its
own (`?from=poster`): the resident who scans it sees the form, not a 422 in English."""

from wushe_service import testing


async def test_a_tracking_tag_on_the_link_still_shows_the_form(volunteers):
    page = await testing.public_page(volunteers, "/join?from=poster&utm_source=wechat")

    assert "<h1>志愿者报名</h1>" in page
    assert "<option value='fengshan'>" in page


async def test_the_community_is_still_chosen_beside_a_tag(volunteers):
    page = await testing.public_page(volunteers, "/join?community_id=lanjiang&from=poster")

    assert "<option value='lanjiang' selected>" in page


async def test_the_api_s_lists_still_refuse_a_parameter_they_do_not_take(volunteers):
    answer = await volunteers.get("/applications?from=poster")

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "query.from"

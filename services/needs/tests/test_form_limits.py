"""The workbench's forms let no one type past the API's caps on names and titles, nor stop
them short of them: a form taking 200 characters where the API takes 50 is a trap."""

from wushe_needs.commands.corrections import CorrectResident
from wushe_needs.commands.residents import FindResidents, RegisterResident
from wushe_needs.commands.wishes import PostWish
from wushe_service.testing import input_limits, max_length


async def test_the_workbench_s_name_and_title_boxes_hold_what_the_api_takes(needs):
    page = await needs.get("/workbench")
    assert page.status_code == 200, page.text
    limits = input_limits(page.text)

    assert limits["register-form", "name"] == max_length(RegisterResident, "name") == 50
    assert limits["correct-form", "name"] == max_length(CorrectResident, "name") == 50
    assert limits["find-form", "find"] == max_length(FindResidents, "name") == 50
    assert limits["wish-form", "title"] == max_length(PostWish, "title") == 100

"""The pages' forms let no one type past the API's caps on names and titles, nor stop them
short of them: a form taking 200 characters where the API takes 50 is a trap."""

from wushe_service.accounts import NewAccount
from wushe_service.testing import input_limits, max_length
from wushe_volunteers.commands.activities import ScheduleActivity
from wushe_volunteers.commands.applications import SubmitApplication


async def test_the_workbench_s_activity_title_box_holds_what_the_api_takes(volunteers):
    page = await volunteers.get("/workbench")
    assert page.status_code == 200, page.text
    limits = input_limits(page.text)
    assert limits["schedule-form", "title"] == max_length(ScheduleActivity, "title") == 100


async def test_the_accounts_page_s_name_box_holds_what_the_api_takes(volunteers):
    page = await volunteers.get("/accounts?format=html", headers={"Authorization": ""})
    assert page.status_code == 200, page.text
    assert input_limits(page.text)["create-form", "name"] == max_length(NewAccount, "name") == 50


async def test_the_join_form_s_name_box_holds_what_the_api_takes(volunteers):
    page = await volunteers.get("/join", headers={"Authorization": ""})
    assert page.status_code == 200, page.text
    assert input_limits(page.text)["", "name"] == max_length(SubmitApplication, "name") == 50

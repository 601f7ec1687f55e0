"""The office's own contact (WUSHE_PUBLIC_CONTACT) on the public activities page and resources
list, as a resident who would help reads them: whom to ask to become a volunteer — against the
real PostgreSQL and NATS."""

import pytest

from wushe_service.testing import PUBLIC_CONTACT as CONTACT
from wushe_service.testing import PUBLIC_CONTACT_SHOWN as SHOWN
from wushe_service.testing import public_page

PAGES = ["/public/activities?format=html", "/public/resources?format=html"]


@pytest.mark.settings(public_contact=CONTACT)
async def test_the_activities_page_names_the_offices_contact_to_become_a_volunteer(volunteers):
    page = await public_page(volunteers, "/public/activities?format=html")
    assert f"还不是志愿者？请联系{SHOWN}，登记成为志愿者后即可报名。" in page
    assert "居委会（村委会）或社工站" not in page


@pytest.mark.settings(public_contact=CONTACT)
async def test_the_resources_list_names_the_offices_contact_to_take_part(volunteers):
    page = await public_page(volunteers, "/public/resources?format=html")
    assert f"登记成为志愿者、组建或加入服务队伍，请联系{SHOWN}。" in page


@pytest.mark.settings(public_contact=CONTACT)
@pytest.mark.parametrize("path", PAGES)
async def test_the_contact_is_escaped_and_on_the_page_once(volunteers, path):
    page = await public_page(volunteers, path)
    assert "<b>" not in page
    assert page.count("0574-62345678") == 1


@pytest.mark.settings(public_contact=CONTACT)
@pytest.mark.parametrize("path", PAGES)
async def test_the_json_answers_are_unchanged_by_it(volunteers, path):
    assert "0574-62345678" not in await public_page(volunteers, path.replace("format=html", ""))


# docker compose passes the variable unset as an empty string.
@pytest.mark.settings(public_contact=" ")
async def test_without_one_the_activities_page_says_whom_to_ask_in_general_words(volunteers):
    page = await public_page(volunteers, "/public/activities?format=html")
    assert "还不是志愿者？请联系所在社区的居委会（村委会）或社工站" in page
    assert "class='contact'" not in page
    assert "请联系" not in await public_page(volunteers, "/public/resources?format=html")

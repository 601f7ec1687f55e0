"""The office's own contact (WUSHE_PUBLIC_CONTACT) on the public wish board and needs list, read
over real HTTP as a resident or a donor reads them: whom to ask to become a volunteer or to
answer a need — against the real PostgreSQL and NATS."""

from collections.abc import AsyncIterator

import httpx
import pytest

from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.browser_testing import listening
from wushe_service.personal_data import new_office_key
from wushe_service.testing import PUBLIC_CONTACT as CONTACT
from wushe_service.testing import PUBLIC_CONTACT_SHOWN as SHOWN
from wushe_service.testing import public_page

PAGES = ["/public/wishes?format=html", "/public/needs?community_id=fengshan&format=html"]


async def office_with(database_url, nats_url, office, **fields) -> AsyncIterator[httpx.AsyncClient]:
    """The needs service with `fields` set, over real HTTP, one community in it: a client of it."""
    settings = testing.settings_for(
        NeedsSettings, database_url, nats_url, office, office_key=new_office_key(), **fields
    )
    async with testing.serving(create_app(settings)) as client:
        place = {"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"}
        registered = await client.post("/communities", json=place)
        assert registered.status_code == 201, registered.text
        async with (
            listening(client.app, lifespan="off") as url,
            httpx.AsyncClient(base_url=url) as browser,
        ):
            yield browser


@pytest.fixture
async def contacted(database_url, nats_url, office) -> AsyncIterator[httpx.AsyncClient]:
    async for browser in office_with(database_url, nats_url, office, public_contact=CONTACT):
        yield browser


@pytest.fixture
async def uncontacted(database_url, nats_url, office) -> AsyncIterator[httpx.AsyncClient]:
    # docker compose passes the variable unset as an empty string.
    async for browser in office_with(database_url, nats_url, office, public_contact=" "):
        yield browser


async def test_the_wish_board_names_the_offices_contact_to_become_a_volunteer(contacted):
    page = await public_page(contacted, "/public/wishes?format=html")
    assert f"还不是志愿者？请联系{SHOWN}，登记成为志愿者后即可认领。" in page
    assert "居委会（村委会）或社工站" not in page


async def test_the_needs_list_names_the_offices_contact_to_answer_a_need(contacted):
    page = await public_page(contacted, "/public/needs?community_id=fengshan&format=html")
    assert f"回应需求、登记成为志愿者或申报项目，请联系{SHOWN}。" in page


@pytest.mark.parametrize("path", PAGES)
async def test_the_contact_is_escaped_and_on_the_page_once(contacted, path):
    page = await public_page(contacted, path)
    assert "<b>" not in page
    assert page.count("0574-62345678") == 1


@pytest.mark.parametrize("path", PAGES)
async def test_the_json_answers_are_unchanged_by_it(contacted, path):
    assert "0574-62345678" not in await public_page(contacted, path.replace("format=html", ""))


async def test_without_one_the_board_says_whom_to_ask_in_general_words(uncontacted):
    page = await public_page(uncontacted, "/public/wishes?format=html")
    assert "还不是志愿者？请联系心愿所在社区的居委会（村委会）或社工站" in page
    assert "class='contact'" not in page
    listed = await public_page(uncontacted, "/public/needs?community_id=fengshan&format=html")
    assert "请联系" not in listed
    assert "请与社区联系" in listed

"""The office's own contact (WUSHE_PUBLIC_CONTACT) on the public funds and projects lists, read
over real HTTP as a team that would apply for a micro-venture grant reads them: whom to ask —
against the real PostgreSQL and NATS."""

from collections.abc import AsyncIterator

import httpx
import pytest

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import testing
from wushe_service.browser_testing import listening
from wushe_service.testing import PUBLIC_CONTACT as CONTACT
from wushe_service.testing import PUBLIC_CONTACT_SHOWN as SHOWN
from wushe_service.testing import public_page

PAGES = ["/public/funds?format=html", "/public/projects?format=html"]


async def office_with(database_url, nats_url, office, **fields) -> AsyncIterator[httpx.AsyncClient]:
    """The funds service with `fields` set, over real HTTP: a client of it."""
    settings = testing.settings_for(FundsSettings, database_url, nats_url, office, **fields)
    async with testing.serving(create_app(settings)) as client:
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


@pytest.mark.parametrize("path", PAGES)
async def test_the_lists_name_the_offices_contact_to_apply_for_a_grant(contacted, path):
    page = await public_page(contacted, path)
    assert f"申报微创投项目，请联系{SHOWN}。" in page


@pytest.mark.parametrize("path", PAGES)
async def test_the_contact_is_escaped_and_on_the_page_once(contacted, path):
    page = await public_page(contacted, path)
    assert "<b>" not in page
    assert page.count("0574-62345678") == 1


@pytest.mark.parametrize("path", PAGES)
async def test_the_json_answers_are_unchanged_by_it(contacted, path):
    assert "0574-62345678" not in await public_page(contacted, path.replace("format=html", ""))


@pytest.mark.parametrize("path", PAGES)
async def test_without_one_the_lists_name_nobody(uncontacted, path):
    page = await public_page(uncontacted, path)
    assert "请联系" not in page
    assert "class='contact'" not in page

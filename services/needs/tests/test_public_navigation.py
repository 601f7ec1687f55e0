"""The office's public navigation on the wish board and the needs list, read over real HTTP:
with the other services' addresses (WUSHE_PUBLIC_URLS) a resident goes on to the activities
and the funds; without them, to the needs service's own pages only — against the real
PostgreSQL and NATS."""

import pytest

from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.personal_data import new_office_key

URLS = "volunteers=https://wushe.example.cn/volunteers,funds=https://wushe.example.cn/funds/"
OTHERS = [
    "<a href='https://wushe.example.cn/volunteers/public/activities'>志愿活动</a>",
    "<a href='https://wushe.example.cn/volunteers/public/resources'>服务资源</a>",
    "<a href='https://wushe.example.cn/funds/public/funds'>基金公示</a>",
    "<a href='https://wushe.example.cn/funds/public/projects'>项目清单</a>",
]
PAGES = {
    "/public/wishes?format=html": (
        "<strong aria-current='page'>微心愿</strong> · <a href='/public/needs'>需求清单</a>"
    ),
    "/public/needs?format=html": (
        "<a href='/public/wishes'>微心愿</a> · <strong aria-current='page'>需求清单</strong>"
    ),
}


async def read(database_url, nats_url, office, path: str, **fields) -> str:
    settings = testing.settings_for(
        NeedsSettings, database_url, nats_url, office, office_key=new_office_key(), **fields
    )
    async with testing.serving(create_app(settings)) as client:
        return await testing.public_page(client, path)


@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_a_page_leads_to_the_other_services_pages_at_their_addresses(
    database_url, nats_url, office, path, own
):
    page = await read(database_url, nats_url, office, path, public_urls=URLS)
    nav = page.split("<nav class='meta site' aria-label='公开信息'>")[1].split("</nav>")[0]
    assert nav == " · ".join([own, *OTHERS])


@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_without_the_addresses_a_page_leads_to_its_own_services_pages_only(
    database_url, nats_url, office, path, own
):
    # docker compose passes the variable unset as an empty string.
    page = await read(database_url, nats_url, office, path, public_urls="")
    assert f"<nav class='meta site' aria-label='公开信息'>{own}</nav>" in page
    assert "志愿活动" not in page
    assert "基金公示" not in page

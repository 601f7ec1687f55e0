"""The office's public navigation on the funds and projects lists, read over real HTTP: with
the other services' addresses (WUSHE_PUBLIC_URLS) a donor goes on to the wish board and the
activities; without them, to the funds service's own pages only — against the real
PostgreSQL and NATS."""

import pytest

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import testing

URLS = {"needs": "https://wushe.example.cn/needs", "volunteers": "https://wushe.example.cn/vol"}
NAV = "<nav class='meta site' aria-label='公开信息'>"
OTHERS = [
    "<a href='https://wushe.example.cn/needs/public/wishes'>微心愿</a>",
    "<a href='https://wushe.example.cn/needs/public/needs'>需求清单</a>",
    "<a href='https://wushe.example.cn/vol/public/activities'>志愿活动</a>",
    "<a href='https://wushe.example.cn/vol/public/resources'>服务资源</a>",
]
PAGES = {
    "/public/funds?format=html": (
        "<strong aria-current='page'>基金公示</strong> · <a href='/public/projects'>项目清单</a>"
    ),
    "/public/projects?format=html": (
        "<a href='/public/funds'>基金公示</a> · <strong aria-current='page'>项目清单</strong>"
    ),
}


async def read(database_url, nats_url, office, path: str, **fields) -> str:
    settings = testing.settings_for(FundsSettings, database_url, nats_url, office, **fields)
    async with testing.serving(create_app(settings)) as client:
        return await testing.public_page(client, path)


@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_a_page_leads_to_the_other_services_pages_at_their_addresses(
    database_url, nats_url, office, path, own
):
    page = await read(database_url, nats_url, office, path, public_urls=URLS)
    assert f"{NAV}{' · '.join([*OTHERS, own])}</nav>" in page


@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_without_the_addresses_a_page_leads_to_its_own_services_pages_only(
    database_url, nats_url, office, path, own
):
    page = await read(database_url, nats_url, office, path)
    assert f"{NAV}{own}</nav>" in page
    assert "微心愿" not in page
    assert "志愿活动" not in page


async def test_a_ledger_and_its_check_lead_to_every_public_page(
    database_url, nats_url, office, fund
):
    fund_id = await fund(1_234_500)
    lists = "<a href='/public/funds'>基金公示</a> · <a href='/public/projects'>项目清单</a>"
    for path in (f"/public/funds/{fund_id}/ledger", f"/public/funds/{fund_id}/ledger/verify"):
        page = await read(database_url, nats_url, office, f"{path}?format=html", public_urls=URLS)
        assert f"{NAV}{' · '.join([*OTHERS, lists])}</nav>" in page, path

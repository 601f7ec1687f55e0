"""The office's public navigation on the activities page and the resources list, read over
real HTTP: with the other services' addresses (WUSHE_PUBLIC_URLS) a resident goes on to the
wish board and the funds; without them, to the volunteers service's own pages only — against
the real PostgreSQL and NATS."""

import pytest

from wushe_service.testing import public_page

URLS = "needs=http://127.0.0.1:8101,funds=https://wushe.example.cn/funds"
NAV = "<nav class='meta site' aria-label='公开信息'>"
PAGES = {
    "/public/activities?format=html": (
        "<strong aria-current='page'>志愿活动</strong> · <a href='/public/resources'>服务资源</a>"
    ),
    "/public/resources?format=html": (
        "<a href='/public/activities'>志愿活动</a> · <strong aria-current='page'>服务资源</strong>"
    ),
}
NEEDS = [
    "<a href='http://127.0.0.1:8101/public/wishes'>微心愿</a>",
    "<a href='http://127.0.0.1:8101/public/needs'>需求清单</a>",
]
FUNDS = [
    "<a href='https://wushe.example.cn/funds/public/funds'>基金公示</a>",
    "<a href='https://wushe.example.cn/funds/public/projects'>项目清单</a>",
]


@pytest.mark.settings(public_urls=URLS)
@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_a_page_leads_to_the_other_services_pages_at_their_addresses(volunteers, path, own):
    page = await public_page(volunteers, path)
    assert f"{NAV}{' · '.join([*NEEDS, own, *FUNDS])}</nav>" in page


@pytest.mark.settings(public_urls="")
@pytest.mark.parametrize(("path", "own"), PAGES.items())
async def test_without_the_addresses_a_page_leads_to_its_own_services_pages_only(
    volunteers, path, own
):
    page = await public_page(volunteers, path)
    assert f"{NAV}{own}</nav>" in page
    assert "微心愿" not in page
    assert "基金公示" not in page

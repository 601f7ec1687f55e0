"""What a printed sheet gives its reader to check it: an absolute address, under the
service's public URL when the office gave one, and that address as a QR code."""

from types import SimpleNamespace

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from wushe_service import printed_checks
from wushe_service.settings import ServiceSettings


def _app(public_urls: str) -> FastAPI:
    app = FastAPI()
    settings = ServiceSettings(office="yuyao", public_urls=public_urls)
    app.state.runtime = SimpleNamespace(settings=settings, service="funds")

    @app.get("/public/things/{code}", name="thing")
    async def thing(code: str) -> None: ...

    @app.get("/sheet")
    async def sheet(request: Request) -> str:
        return printed_checks.address(request, "thing", code="A1")

    return app


@pytest.mark.parametrize(
    ("public_urls", "expected"),
    [
        ("", "http://intranet.local:8103/public/things/A1"),
        (
            "funds=https://wushe.yuyao.gov.cn/funds/,needs=https://n.example",
            "https://wushe.yuyao.gov.cn/funds/public/things/A1",
        ),
        ("needs=https://n.example", "http://intranet.local:8103/public/things/A1"),
    ],
)
def test_the_address_is_the_services_public_one_where_the_office_gave_it(public_urls, expected):
    client = TestClient(_app(public_urls), base_url="http://intranet.local:8103")
    assert client.get("/sheet").json() == expected


def test_the_qr_code_is_an_inline_svg_of_its_own_text():
    one, other = (
        printed_checks.qr_svg("https://a.example/1"),
        printed_checks.qr_svg("https://a.example/2"),
    )
    assert one.startswith("<svg")
    assert one.endswith("</svg>")
    assert "style=" not in one  # prints under a policy that allows no inline style attribute
    assert one != other

"""The funds API over HTTP, against the real PostgreSQL and NATS."""

import pytest

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service.testing import ADMIN_TOKEN, serving


@pytest.fixture
async def funds(database_url, nats_url, office):
    app = create_app(
        FundsSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            admin_token=ADMIN_TOKEN,
            log_format="console",
        )
    )
    async with serving(app) as client:
        yield client


async def test_a_fund_takes_donations_and_shows_its_balance(funds):
    response = await funds.post(
        "/funds", json={"name": "丰山社区慈善基金", "community_id": "fengshan"}
    )
    assert response.status_code == 201, response.text
    fund_id = response.json()["fund_id"]
    for amount in (50_000, 20_000):
        donation = await funds.post(
            f"/funds/{fund_id}/donations",
            json={"amount_fen": amount, "donor_kind": "individual", "channel": "wechat-pay"},
        )
        assert donation.status_code == 201, donation.text
    fund = (await funds.get(f"/funds/{fund_id}")).json()
    assert (fund["balance_fen"], fund["donations"]) == (70_000, 2)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_fen": 0, "donor_kind": "individual"}, "amount_fen"),
        ({"amount_fen": 12.5, "donor_kind": "individual"}, "amount_fen"),
        ({"amount_fen": 100, "donor_kind": "alien"}, "donor_kind"),
    ],
)
async def test_bad_donations_are_a_422_naming_the_field(funds, body, field):
    fund_id = (await funds.post("/funds", json={"name": "基金"})).json()["fund_id"]
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_a_donation_to_an_unknown_fund_is_a_404(funds):
    response = await funds.post(
        "/funds/6a1f3f7e-8c1e-4a55-9a3c-1f1e2d3c4b5a/donations",
        json={"amount_fen": 100, "donor_kind": "individual"},
    )
    assert response.status_code == 404


async def test_operations_endpoints_work_without_internet(funds):
    docs = await funds.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert (await funds.get("/static/swagger-ui/swagger-ui-bundle.js")).status_code == 200
    paths = (await funds.get("/openapi.json")).json()["paths"]
    assert "/funds/{fund_id}/donations" in paths
    assert (await funds.get("/healthz")).json()["service"] == "funds"
    assert (await funds.get("/readyz")).json() == {"ready": True, "problems": {}}
    asyncapi = (await funds.get("/asyncapi")).json()
    assert asyncapi["asyncapi"] == "3.0.0"
    assert "funds.donation.received.v1" in asyncapi["channels"]
    assert not any(key.startswith("needs.") for key in asyncapi["channels"])
    metrics = (await funds.get("/metrics")).text
    assert "wushe_http_request_duration_seconds" in metrics


async def test_the_correlation_id_of_the_caller_is_kept_if_it_is_an_id(funds):
    kept = await funds.get("/healthz", headers={"X-Correlation-ID": "req-2026.11.28:abc"})
    assert kept.headers["x-correlation-id"] == "req-2026.11.28:abc"
    personal = "王秀英 13812345678".encode()
    replaced = await funds.get("/healthz", headers={"X-Correlation-ID": personal})
    assert "13812345678" not in replaced.headers["x-correlation-id"]

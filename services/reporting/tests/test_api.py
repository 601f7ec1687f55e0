"""The reporting service consuming the office stream and serving its figures."""

import asyncio
from uuid import uuid4

import httpx
import pytest

from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.envelope import headers
from wushe_events.subjects import event_subject, stream_name
from wushe_events.testing import wait_until
from wushe_reporting.main import create_app
from wushe_reporting.settings import ReportingSettings
from wushe_service.testing import serving


@pytest.fixture
async def reporting(database_url, nats_url, office):
    app = create_app(
        ReportingSettings(
            office=office, nats_url=nats_url, database_url=database_url, log_format="console"
        )
    )
    async with serving(app) as client:
        yield client


async def publish(js, envelope):
    await js.publish(
        event_subject(envelope.office, envelope.type),
        envelope.to_json(),
        stream=stream_name(envelope.office),
        headers=headers(envelope.id),
    )


async def communities_counted(client: httpx.AsyncClient, office: str, count: int):
    offices = (await client.get("/api/overview")).json()["offices"]
    return any(o["office"] == office and o["communities"] == count for o in offices)


async def test_events_on_the_bus_show_in_the_overview_once_each(reporting, js, office, envelope):
    first = envelope(
        CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道"), office
    )
    await publish(js, first)
    # The same event again, outside JetStream's de-duplication (another message id).
    await js.publish(
        event_subject(office, first.type),
        first.to_json(),
        stream=stream_name(office),
        headers={"Nats-Msg-Id": str(uuid4())},
    )
    await publish(
        js,
        envelope(
            CommunityRegistered(community_id="lanjiang", name="兰江社区", street="兰江街道"), office
        ),
    )
    await wait_until(lambda: communities_counted(reporting, office, 2), message="two counted")
    lag = (await reporting.get("/api/lag")).json()
    assert lag["consumers"]["reporting-overview"]["pending"] == 0
    assert [o["office"] for o in lag["offices"]] == [office]


async def test_the_dashboard_page_is_served_in_chinese(reporting):
    response = await reporting.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.text
    assert "api/overview" in response.text


async def test_an_unknown_export_is_a_404_listing_the_tables(reporting):
    response = await reporting.get("/api/export/tracking.csv")
    assert response.status_code == 404
    assert "office_overview" in response.json()["detail"]


async def test_the_service_is_ready_once_subscribed(reporting):
    ready = await wait_until(lambda: _ready(reporting), message="ready")
    assert ready["problems"] == {}


async def _ready(client):
    response = await client.get("/readyz")
    await asyncio.sleep(0)
    return response.json() if response.status_code == 200 else None

"""The volunteers API over HTTP, against the real PostgreSQL and NATS."""

import asyncpg
import pytest

from wushe_service.auth import Role, create_token
from wushe_service.personal_data import new_office_key
from wushe_service.testing import ADMIN_TOKEN, serving
from wushe_volunteers.main import create_app
from wushe_volunteers.settings import VolunteersSettings

VOLUNTEER = {
    "name": "李明",
    "phone": "13912345678",
    "community_id": "fengshan",
    "skills": ["haircut"],
    "certification": "assistant",
    "certificate_number": "ZS2024-0001",
}


@pytest.fixture
async def volunteers(database_url, nats_url, office):
    app = create_app(
        VolunteersSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            admin_token=ADMIN_TOKEN,
            office_key=new_office_key(),
            log_format="console",
        )
    )
    async with serving(app) as client:
        client.app = app
        yield client


async def test_a_volunteer_is_registered_with_sealed_personal_data(volunteers, database_url):
    response = await volunteers.post("/volunteers", json=VOLUNTEER)
    assert response.status_code == 201, response.text
    vid = response.json()["volunteer_id"]
    view = (await volunteers.get(f"/volunteers/{vid}")).json()
    assert view["personal_data"]["phone"] == "13912345678"
    assert view["display_name"] is None
    connection = await asyncpg.connect(database_url)
    try:
        events = [r[0] for r in await connection.fetch("SELECT data::text FROM volunteers.events")]
    finally:
        await connection.close()
    assert len(events) == 1
    assert "李明" not in events[0]
    assert "13912345678" not in events[0]


async def test_a_viewer_sees_no_personal_data(volunteers):
    vid = (await volunteers.post("/volunteers", json=VOLUNTEER)).json()["volunteer_id"]
    token = await create_token(
        volunteers.app.state.runtime.engine,
        role=Role.viewer,
        name="viewer",
        office=volunteers.app.state.office,
    )
    view = (
        await volunteers.get(f"/volunteers/{vid}", headers={"Authorization": f"Bearer {token}"})
    ).json()
    assert view["personal_data"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"certification": "grandmaster"}, "certification"),
        ({"phone": "110"}, "phone"),
        ({"certificate_number": None}, "body"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field(volunteers, change, field):
    response = await volunteers.post("/volunteers", json={**VOLUNTEER, **change})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]

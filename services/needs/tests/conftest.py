import asyncpg
import pytest

from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service.auth import Role, create_token
from wushe_service.personal_data import new_office_key
from wushe_service.testing import ADMIN_TOKEN, serving


@pytest.fixture
async def needs(database_url, nats_url, office):
    settings = NeedsSettings(
        office=office,
        nats_url=nats_url,
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        office_key=new_office_key(),
        log_format="console",
    )
    app = create_app(settings)
    async with serving(app) as client:
        client.app = app
        yield client


@pytest.fixture
def token_for(needs):
    async def make(role: Role, office: str | None = None) -> dict[str, str]:
        runtime = needs.app.state.runtime
        token = await create_token(
            runtime.engine, role=role, name=f"test {role}", office=office or runtime.office
        )
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def count_events(database_url):
    async def count() -> int:
        connection = await asyncpg.connect(database_url)
        try:
            return await connection.fetchval("SELECT count(*) FROM needs.events")
        finally:
            await connection.close()

    return count

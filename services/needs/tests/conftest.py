import functools
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import openpyxl
import pytest

from wushe_events.database import connect as connect_database
from wushe_events.relay import Relay
from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.auth import Role
from wushe_service.browser_testing import PHONE as PHONE  # the tests import it from here
from wushe_service.browser_testing import bare, listening
from wushe_service.personal_data import new_office_key

RESIDENT = {
    "community_id": "fengshan",
    "groups": ["elderly_alone"],
    "birth_year": 1949,
    "name": "王秀英",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "address": "丰山社区3幢2单元101",
    "notes": "独居，行动不便",
}
LEVELS = {"physical": 2, "psychological": 1, "material": 3, "spiritual": 0}


@pytest.fixture(scope="session")
async def migrated(postgres_url, nats_url):
    """A database with the needs service's schemas migrated, made once for the session."""

    def app(url):
        return create_app(
            testing.settings_for(
                NeedsSettings, url, nats_url, "template", office_key=new_office_key()
            )
        )

    async with testing.migrated_template(postgres_url, app) as url:
        yield url


@pytest.fixture
async def needs(database_url, nats_url, office):
    settings = testing.settings_for(
        NeedsSettings,
        database_url,
        nats_url,
        office,
        office_key=new_office_key(),
        wish_sweep_interval=3600,
        # The public needs list's counts exact, as its tests of counting need; its small-cell
        # suppression is tested with the default in test_public_needs_small_cells.py.
        public_min_count=0,
    )
    async with testing.serving(create_app(settings)) as client:
        yield client


@pytest.fixture
def relay(js, office, database_url, background):
    """The needs service's outbox relay, publishing to the office's stream until the test ends."""
    background(
        Relay(
            js,
            office=office,
            connect=lambda: connect_database(database_url, "needs"),
            schema="needs",
            poll_interval=0.2,
            protect_stream=False,
        ).run()
    )


@pytest.fixture
def runtime(needs):
    return needs.app.state.runtime


@pytest.fixture
def token_for(runtime):
    return testing.token_for(runtime)


@pytest.fixture
def sql(database_url):
    return testing.sql(database_url)


@pytest.fixture
def count_events(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.events"))[0][0]

    return count


@pytest.fixture
def community(needs):
    async def register(slug: str = "fengshan", name: str = "丰山社区", street: str = "阳明街道"):
        response = await needs.post(
            "/communities", json={"community_id": slug, "name": name, "street": street}
        )
        assert response.status_code == 201, response.text
        return slug

    return register


@pytest.fixture
def levels():
    return dict(LEVELS)


# The communities `resident` registers, by slug: (name, street).
PLACES = {
    "fengshan": ("丰山社区", "阳明街道"),
    "jiangbin": ("江滨社区", "兰江街道"),
    "xinan": ("新安<b>社区</b>", "兰江街道"),
    "kongshan": ("空山社区", "阳明街道"),
}


@pytest.fixture
def resident(needs, community):
    """Registers residents (with personal data: RESIDENT, with `changes`), registering each
    community of PLACES the first time one lives there."""
    places: set[str] = set()

    async def register(**changes) -> str:
        where = changes.get("community_id", "fengshan")
        if where not in places:
            places.add(where)
            await community(where, *PLACES[where])
        response = await needs.post("/residents", json={**RESIDENT, **changes})
        assert response.status_code == 201, response.text
        return response.json()["resident_id"]

    return register


@pytest.fixture
def surveyed(needs, levels):
    """Records a home visit of a resident, `days_ago`, finding needs `(category, dimension,
    urgency)`; returns the new need ids."""

    async def record(resident_id: str, *found: tuple[str, str, str], days_ago: float = 0):
        at = datetime.now(UTC) - timedelta(days=days_ago)
        response = await needs.post(
            "/surveys",
            json={
                "resident_id": resident_id,
                "method": "home_visit",
                "dimensions": levels,
                "surveyed_at": at.isoformat(),
                "needs": [{"category": c, "dimension": d, "urgency": u} for c, d, u in found],
            },
        )
        assert response.status_code == 201, response.text
        return response.json()["need_ids"]

    return record


@pytest.fixture
def known_volunteer(sql):
    """A volunteer the needs service knows (as if it had consumed their registration)."""

    async def make(display: str | None = None, active: bool = True) -> str:
        volunteer_id = uuid4()
        await sql(
            "INSERT INTO needs.claimants VALUES ($1, 'volunteer', $2, $3, now())",
            volunteer_id,
            display,
            active,
        )
        return str(volunteer_id)

    return make


@pytest.fixture
def wish_body():
    def body(**changes):
        return {
            "community_id": "fengshan",
            "category": "daily-goods",
            "title": "一台收音机",
            "estimated_value_fen": 15_000,
            "deadline": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            **changes,
        }

    return body


@pytest.fixture
async def served(needs) -> AsyncIterator[str]:
    """The needs service over real HTTP, for a browser (the test client runs its lifespan)."""
    async with listening(needs.app, lifespan="off") as url:
        yield url


def sheet_upload(headers: list[str], *rows: list) -> dict:
    """A residents' sheet (台账.xlsx) of `headers` and `rows`, as the import's `files=`."""
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return {"file": ("台账.xlsx", out.getvalue(), "application/octet-stream")}


@pytest.fixture
async def social_worker(token_for) -> str:
    """王芳's token, a social worker's, as a page's sign-in takes it."""
    return bare(await token_for(Role.social_worker, "王芳"))


@pytest.fixture
def workbench(signed_in, social_worker):
    """The workbench signed in as 王芳 on a phone: `async with workbench() as (page, errors)`."""
    return functools.partial(signed_in, "/workbench", social_worker, phone=True)

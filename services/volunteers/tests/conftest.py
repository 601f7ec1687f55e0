import itertools
import weakref
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from wushe_service import communities, testing
from wushe_service.browser_testing import PHONE as PHONE  # the tests import it from here
from wushe_service.browser_testing import listening
from wushe_service.personal_data import new_office_key
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN
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


@pytest.fixture(scope="session")
async def migrated(postgres_url, nats_url):
    """A database with the volunteers service's schemas migrated, made once for the session."""

    def app(url):
        return create_app(
            testing.settings_for(
                VolunteersSettings, url, nats_url, "template", office_key=new_office_key()
            )
        )

    async with testing.migrated_template(postgres_url, app) as url:
        yield url


@pytest.fixture
async def volunteers(request, database_url, nats_url, office):
    """The service, with the settings a test's `@pytest.mark.settings(...)` names."""
    marker = request.node.get_closest_marker("settings")
    settings = testing.settings_for(
        VolunteersSettings,
        database_url,
        nats_url,
        office,
        office_key=new_office_key(),
        **(marker.kwargs if marker else {}),
    )
    async with testing.serving(create_app(settings)) as client:
        await known_communities(client.app.state.runtime.store, *COMMUNITIES)
        VAULTS[client.app.state.runtime.store] = client.app.state.vault
        yield client


# The vault of the service whose store the set-up helpers are given (they schedule through
# the commands, which check a title against the volunteers' names).
VAULTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# Communities the tests name, as if the needs service's registrations had been consumed.
COMMUNITIES = ("fengshan", "lanjiang")


async def known_communities(store, *community_ids: str) -> None:
    async with store.connection() as db:
        for community_id in community_ids:
            await communities.upsert(
                db, community_id, f"{community_id} 社区", "阳明街道", 1, datetime.now(UTC)
            )


@pytest.fixture
def runtime(volunteers):
    return volunteers.app.state.runtime


@pytest.fixture
def token_for(runtime):
    return testing.token_for(runtime)


@pytest.fixture
def volunteer(volunteers):
    """Registers a volunteer; the first without a phone given has VOLUNTEER's, the others each
    one of their own (a phone number is one serving volunteer)."""
    others = (f"1370000{n:04d}" for n in itertools.count(1))
    taken = False

    async def register(**changes) -> str:
        nonlocal taken
        if "phone" not in changes:
            changes["phone"] = next(others) if taken else VOLUNTEER["phone"]
            taken = True
        response = await volunteers.post("/volunteers", json={**VOLUNTEER, **changes})
        assert response.status_code == 201, response.text
        return response.json()["volunteer_id"]

    return register


@pytest.fixture
def team(volunteers, volunteer):
    """A team with a coordinator: (team_id, coordinator's volunteer_id)."""

    phones = itertools.chain(["13900000001"], (f"1360000{n:04d}" for n in itertools.count(1)))

    async def register(kind: str = "volunteer_team", name: str = "阳明青年志愿队"):
        response = await volunteers.post("/teams", json={"kind": kind, "name": name})
        assert response.status_code == 201, response.text
        team_id = response.json()["team_id"]
        coordinator = await volunteer(name="王协调", phone=next(phones))
        added = await volunteers.post(
            f"/teams/{team_id}/members", json={"volunteer_id": coordinator, "role": "coordinator"}
        )
        assert added.status_code == 204, added.text
        return team_id, coordinator

    return register


@pytest.fixture
def activity(volunteers):
    async def schedule(
        team_id: str,
        *,
        capacity: int = 10,
        days: int = 3,
        hours: int = 2,
        title: str = "理发进社区",
    ) -> str:
        starts = datetime.now(UTC) + timedelta(days=days)
        response = await volunteers.post(
            "/activities",
            json={
                "team_id": team_id,
                "community_id": "fengshan",
                "title": title,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=hours)).isoformat(),
                "capacity": capacity,
            },
        )
        assert response.status_code == 201, response.text
        return response.json()["activity_id"]

    return schedule


async def schedule_signed_up(
    store, team_id, volunteer_id, starts: datetime, hours: float = 3
) -> UUID:
    """An activity of the team starting at `starts` (perhaps past: scheduled and signed up for
    the day before, through the commands), with the volunteer signed up; its id."""
    then = starts - timedelta(days=1)
    activity_id = await commands.schedule(
        store,
        VAULTS[store],
        commands.ScheduleActivity(
            team_id=team_id,
            community_id="fengshan",
            title="助老理发",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            capacity=5,
        ),
        then,
        caller=ADMIN,
    )
    await commands.sign_up(store, activity_id, commands.SignUp(volunteer_id=volunteer_id), then)
    return activity_id


@pytest.fixture
def signed_up(runtime):
    async def schedule(team_id, volunteer_id, starts: datetime, hours: float = 3) -> UUID:
        return await schedule_signed_up(runtime.store, team_id, volunteer_id, starts, hours)

    return schedule


@pytest.fixture
async def served(volunteers) -> AsyncIterator[str]:
    """The volunteers service over real HTTP, for a browser (the test client runs its lifespan)."""
    async with listening(volunteers.app, lifespan="off") as url:
        yield url

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from playwright.async_api import Page

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import communities, testing
from wushe_service.auth import Role
from wushe_service.browser_testing import PHONE as PHONE  # the tests import it from here
from wushe_service.browser_testing import bare, listening, sign_in

THRESHOLD = 100_000


@pytest.fixture(scope="session")
async def migrated(postgres_url, nats_url):
    """A database with the funds service's schemas migrated, made once for the session."""

    def app(url):
        return create_app(testing.settings_for(FundsSettings, url, nats_url, "template"))

    async with testing.migrated_template(postgres_url, app) as url:
        yield url


@pytest.fixture
async def funds(database_url, nats_url, office):
    settings = testing.settings_for(
        FundsSettings,
        database_url,
        nats_url,
        office,
        funds_two_approver_threshold_fen=THRESHOLD,
    )
    async with testing.serving(create_app(settings)) as client:
        await known_communities(client.app.state.runtime.store, *COMMUNITIES)
        yield client


# Communities the tests name, as if the needs service's registrations had been consumed.
COMMUNITIES = {"fengshan": ("丰山社区", "凤山街道"), "jiangbin": ("江滨社区", "阳明街道")}


async def known_communities(store, *community_ids: str) -> None:
    async with store.connection() as db:
        for community_id in community_ids:
            name, street = COMMUNITIES[community_id]
            await communities.upsert(db, community_id, name, street, 1, datetime.now(UTC))


@pytest.fixture
def runtime(funds):
    return funds.app.state.runtime


@pytest.fixture
def token_for(runtime):
    return testing.token_for(runtime)


@pytest.fixture
def sql(database_url):
    return testing.sql(database_url)


@pytest.fixture
def known_team(sql):
    """A team the funds service knows (as if it had consumed its registration): its id."""

    async def make(name: str = "阳明青年志愿服务队", members=(), coordinators=()) -> str:
        team_id = uuid4()
        await sql("INSERT INTO funds.teams VALUES ($1, 'volunteer_team', $2)", team_id, name)
        for member in members:
            await sql("INSERT INTO funds.team_members VALUES ($1, $2)", team_id, member)
        for coordinator in coordinators:
            await sql(
                "INSERT INTO funds.team_members VALUES ($1, $2, 'coordinator')",
                team_id,
                coordinator,
            )
        return str(team_id)

    return make


@pytest.fixture
def fund(funds):
    """An open fund holding `balance` fen: its id."""

    async def make(balance: int = 1_000_000, name: str = "丰山社区慈善基金") -> str:
        response = await funds.post("/funds", json={"name": name, "community_id": "fengshan"})
        assert response.status_code == 201, response.text
        fund_id = response.json()["fund_id"]
        if balance:
            donated = await funds.post(
                f"/funds/{fund_id}/donations",
                json={
                    "amount_fen": balance,
                    "donor_kind": "government",
                    "channel": "bank-transfer",
                },
            )
            assert donated.status_code == 201, donated.text
        return fund_id

    return make


@pytest.fixture
def grant_round(funds):
    async def make(fund_id: str, budget: int = 500_000, cap: int | None = 300_000) -> str:
        body = {
            "fund_id": fund_id,
            "name": "2026 社区微创投",
            "budget_fen": budget,
            "themes": ["elderly-care", "children"],
            "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            "per_project_cap_fen": cap,
            "criteria": ["need", "feasibility"],
        }
        response = await funds.post("/rounds", json=body)
        assert response.status_code == 201, response.text
        return response.json()["round_id"]

    return make


@pytest.fixture
def public(funds):
    """GET without any token, as the public reads."""

    async def get(url: str):
        request = funds.build_request("GET", url)
        del request.headers["Authorization"]
        return await funds.send(request)

    return get


@pytest.fixture
def submitted(funds, known_team):
    """An application to the round of a team (a new one unless given), for elderly care in
    fengshan, its budget one line of `amount` unless given (any other field of the request
    too): its id, passed its eligibility check when `checked`."""

    async def make(
        round_id: str,
        title: str = "银龄互助小组",
        amount: int = 200_000,
        *,
        team_id: str | None = None,
        community_id: str = "fengshan",
        checked: bool = False,
        **fields,
    ) -> str:
        body = {
            "team_id": team_id or await known_team(),
            "community_id": community_id,
            "title": title,
            "summary": "为独居老人组织每周互助活动",
            "theme": "elderly-care",
            "requested_fen": amount,
            "budget_lines": [{"item": "活动物资", "amount_fen": amount}],
            **fields,
        }
        response = await funds.post(f"/rounds/{round_id}/applications", json=body)
        assert response.status_code == 201, response.text
        the_id = response.json()["application_id"]
        if checked:
            eligible = await funds.post(f"/applications/{the_id}/eligibility")
            assert eligible.json()["state"] == "eligible", eligible.text
        return the_id

    return make


@pytest.fixture
def approved_grant(funds, submitted):
    """Submit, check, review and approve an application of a new team: its id."""

    async def make(
        round_id: str,
        amount: int = 200_000,
        title: str = "银龄互助小组",
        approve: bool = True,
        team_id: str | None = None,
        community_id: str = "fengshan",
        need_ids: tuple[str, ...] = (),
    ) -> str:
        the_id = await submitted(
            round_id,
            title,
            amount,
            team_id=team_id,
            community_id=community_id,
            checked=True,
            need_ids=list(need_ids),
        )
        steps = [
            ("reviews", {"reviewer_id": str(uuid4()), "scores": {"need": 90, "feasibility": 80}}),
            *([("approve", {"approved_fen": amount})] if approve else []),
        ]
        for verb, body in steps:
            response = await funds.post(f"/applications/{the_id}/{verb}", json=body)
            assert response.status_code in (200, 201), response.text
        return the_id

    return make


@pytest.fixture
def coordinator(known_team, token_for):
    """A coordinator whose token names them, and the new teams they coordinate, by name:
    (the token as typed into a page, the teams' ids)."""

    async def make(*team_names: str, name: str = "李协调") -> tuple[str, list[str]]:
        me = uuid4()
        teams = [await known_team(team, coordinators=[me]) for team in team_names]
        return bare(await token_for(Role.coordinator, name, person=me)), teams

    return make


@pytest.fixture
async def served(funds) -> AsyncIterator[str]:
    """The funds service over real HTTP, for a browser (the test client runs its lifespan)."""
    async with listening(funds.app, lifespan="off") as url:
        yield url


async def refused_at_sign_in(
    page: Page, address: str, refusals: Iterable[tuple[str | dict[str, str], str]]
) -> None:
    """Each token of `refusals` (as typed, or the headers `token_for` gave) is refused at
    sign-in with its words beside the form, and the tab keeps nothing of it."""
    for token, said in refusals:
        await sign_in(page, address, token if isinstance(token, str) else bare(token))
        await page.locator("#signin-error", has_text=said).wait_for()
        assert await page.is_visible("#signin")
        assert await page.evaluate("sessionStorage.length") == 0

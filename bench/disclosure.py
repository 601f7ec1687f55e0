"""6. A round's public disclosure (项目批次公示), as the charity disclosure platform reads it.

The funds service runs in-process on a fresh database and office stream. A round of GRANTS
grants (each submitted, checked, reviewed, approved, and one tranche paid with one expense) is
made through its API; each run asks REQUESTS times, one at a time, for
`GET /public/rounds/{id}/disclosure` without a token, and a run's figure is the median of its
requests. The statements one disclosure sends are counted once, on a connection that counts
them, for a round of GRANTS grants and for a round of one.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from secrets import token_hex
from typing import Any
from uuid import UUID, uuid4

import httpx

from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import Figures
from wushe_funds.main import create_app
from wushe_funds.queries.disclosures import round_disclosure
from wushe_funds.settings import FundsSettings
from wushe_service import communities, testing

GRANTS = 50
REQUESTS = 10  # per run
AMOUNT = 100_000


async def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, response.text
    body: dict[str, Any] = response.json()
    return body


async def make_round(client: httpx.AsyncClient, sql: Any, grants: int) -> str:
    """A round of `grants` grants, each with one tranche paid and one expense reported."""
    fund = await _ok(await client.post("/funds", json={"name": "基准基金", "community_id": "c1"}))
    fund_id = fund["fund_id"]
    donation = {"amount_fen": AMOUNT * (grants + 1), "donor_kind": "government"}
    await _ok(await client.post(f"/funds/{fund_id}/donations", json=donation))
    round_ = {
        "fund_id": fund_id,
        "name": "基准轮次",
        "budget_fen": AMOUNT * grants,
        "themes": ["elderly-care"],
        "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "criteria": ["need"],
    }
    round_id = (await _ok(await client.post("/rounds", json=round_)))["round_id"]
    for g in range(grants):
        team_id = uuid4()
        await sql("INSERT INTO funds.teams VALUES ($1, 'volunteer_team', $2)", team_id, f"队{g}")
        body = {
            "team_id": str(team_id),
            "community_id": "c1",
            "title": f"项目{g}",
            "summary": "为独居老人组织每周互助活动",
            "theme": "elderly-care",
            "requested_fen": AMOUNT,
            "budget_lines": [{"item": "活动物资", "amount_fen": AMOUNT}],
        }
        url = f"/rounds/{round_id}/applications"
        the = "/applications/" + (await _ok(await client.post(url, json=body)))["application_id"]
        await _ok(await client.post(f"{the}/eligibility"))
        review = {"reviewer_id": str(uuid4()), "scores": {"need": 80}}
        await _ok(await client.post(f"{the}/reviews", json=review))
        await _ok(await client.post(f"{the}/approve", json={"approved_fen": AMOUNT}))
        tranche = await _ok(await client.post(f"{the}/disbursements", json={"amount_fen": AMOUNT}))
        assert tranche["paid"], tranche  # under the default threshold: paid at once
        expense = {
            "amount_fen": AMOUNT // 2,
            "category": "materials",
            "receipt_sha256": token_hex(32),
        }
        await _ok(await client.post(f"{the}/expenses", json=expense))
    return str(round_id)


async def statements(app: Any, round_id: str) -> int:
    async with app.state.runtime.store.connection() as db:
        counting = testing.Counting(db)
        disclosed = await round_disclosure(counting, UUID(round_id))  # type: ignore[arg-type]
        assert disclosed["grants"]
        return counting.statements


async def run(
    servers: Servers, grants: int, runs: int, warmups: int, progress: Callable[[str], None]
) -> tuple[Figures]:
    figures = Figures(
        f"6. Round disclosure: GET /public/rounds/{{id}}/disclosure, {grants} grants",
        [
            f"the funds service in-process; a round of {grants} grants (one tranche paid, one "
            f"expense each); {REQUESTS} requests one at a time per run, the run's median",
        ],
    )
    async with fresh_database(servers) as database_url, fresh_office(servers) as office:
        settings = testing.settings_for(
            FundsSettings, database_url, servers.nats_url, office, log_level="ERROR"
        )
        async with testing.serving(create_app(settings)) as client:
            app: Any = client.app  # type: ignore[attr-defined]
            async with app.state.runtime.store.connection() as db:
                await communities.upsert(db, "c1", "基准社区", "基准街道", 1, datetime.now(UTC))
            sql = testing.sql(database_url)
            progress(f"disclosure: making a round of {grants} grants …")
            big, small = await make_round(client, sql, grants), await make_round(client, sql, 1)
            figures.add("statements per disclosure, one grant", "", await statements(app, small))
            figures.add(
                f"statements per disclosure, {grants} grants", "", await statements(app, big)
            )
            url = f"/public/rounds/{big}/disclosure"
            for r in range(warmups + runs):
                times = []
                for _ in range(REQUESTS):
                    started = time.perf_counter()
                    response = await client.get(url, headers={"Authorization": ""})
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                if r >= warmups:
                    figures.add("disclosure, median request", "ms", statistics.median(times) * 1e3)
                progress(f"disclosure run {r + 1}/{warmups + runs}")
    return (figures,)

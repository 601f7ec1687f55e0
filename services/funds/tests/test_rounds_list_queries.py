"""The office's list of rounds reads a fixed number of queries however many rounds a page
holds, and shows each round as the round's own view does."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from wushe_funds.queries.rounds import round_view, rounds_list
from wushe_service.testing import Counting


async def _listed(runtime, fund_id: str) -> tuple[int, list[dict[str, Any]]]:
    async with runtime.store.connection() as db:
        counting = Counting(db)
        page = await rounds_list(counting, fund_id=UUID(fund_id), limit=50, cursor=None)
        return counting.statements, page.items


async def _open(funds, fund_id: str, budget: int, envelopes: dict[str, int]) -> str:
    body = {
        "fund_id": fund_id,
        "name": f"轮次 {budget}",
        "budget_fen": budget,
        "themes": ["elderly-care"],
        "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "community_budgets_fen": envelopes,
    }
    response = await funds.post("/rounds", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["round_id"])


async def test_a_page_of_four_rounds_reads_as_many_queries_as_a_page_of_one(funds, runtime):
    fund_ids = []
    for name in ("余姚市社区慈善基金", "余姚市第二慈善基金"):
        opened = await funds.post("/funds", json={"name": name})  # office-wide
        assert opened.status_code == 201, opened.text
        fund_ids.append(opened.json()["fund_id"])
    lone, many = fund_ids
    await _open(funds, lone, 100_000, {"fengshan": 50_000})
    made = [
        await _open(funds, many, 100_000, {}),
        await _open(funds, many, 200_000, {"fengshan": 100_000}),
        await _open(funds, many, 300_000, {"jiangbin": 100_000, "fengshan": 100_000}),
        await _open(funds, many, 400_000, {"jiangbin": 400_000}),
    ]

    for_one, _ = await _listed(runtime, lone)
    for_four, items = await _listed(runtime, many)
    assert for_four == for_one <= 3
    assert [str(i["round_id"]) for i in items] == made
    async with runtime.store.connection() as db:
        for item in items:
            assert item == await round_view(db, item["round_id"])
    assert [c["name"] for c in items[2]["communities"]] == ["丰山社区", "江滨社区"]

"""A round's disclosure reads a fixed number of queries however many grants it made, and says of
each grant what the grant's own disclosure says."""

from typing import Any
from uuid import UUID

from wushe_funds.queries.disclosures import disclosure, round_disclosure
from wushe_service.testing import Counting


async def _disclosed(runtime, round_id: str) -> tuple[int, dict[str, Any]]:
    async with runtime.store.connection() as db:
        counting = Counting(db)
        view = await round_disclosure(counting, UUID(round_id))
        return counting.statements, view


async def test_a_round_s_disclosure_reads_as_many_queries_for_three_grants_as_for_one(
    funds, grant_round, approved_grant, known_team, runtime
):
    opened = await funds.post("/funds", json={"name": "余姚市社区慈善基金"})  # office-wide
    fund_id = opened.json()["fund_id"]
    given = {"amount_fen": 1_000_000, "donor_kind": "government"}
    assert (await funds.post(f"/funds/{fund_id}/donations", json=given)).status_code == 201
    one, three = await grant_round(fund_id), await grant_round(fund_id, budget=900_000)
    await approved_grant(one, 100_000)
    team = await known_team("阳光儿童服务社")
    made = [
        await approved_grant(three, 100_000, "银龄互助小组"),
        await approved_grant(three, 150_000, "儿童托管", team_id=team, community_id="jiangbin"),
        await approved_grant(three, 120_000, "邻里守望"),
    ]
    await approved_grant(three, 50_000, "未获批准", approve=False)  # not a grant: not disclosed

    queries_for_one, _ = await _disclosed(runtime, one)
    queries_for_three, view = await _disclosed(runtime, three)
    assert queries_for_three == queries_for_one <= 6

    assert [g["application_id"] for g in view["grants"]] == [UUID(m) for m in made]
    assert [(g["grantee"], g["community_name"]) for g in view["grants"]] == [
        ("阳明青年志愿服务队", "丰山社区"),
        ("阳光儿童服务社", "江滨社区"),
        ("阳明青年志愿服务队", "丰山社区"),
    ]
    async with runtime.store.connection() as db:
        for grant in view["grants"]:
            alone = await disclosure(db, grant["application_id"])
            assert grant == alone | {"update_due": grant["update_due"]}

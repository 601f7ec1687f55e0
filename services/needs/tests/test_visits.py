"""Residents to visit again (回访): who has gone longest without a visit."""

from datetime import UTC, datetime, timedelta

from wushe_service.auth import Role


async def test_residents_due_a_visit_never_visited_first_then_the_longest_unvisited(
    needs, community, surveyed, token_for
):
    await community()

    async def register(name: str, groups: list[str]) -> str:
        body = {"community_id": "fengshan", "groups": groups, "birth_year": 1940, "name": name}
        response = await needs.post("/residents", json=body)
        assert response.status_code == 201, response.text
        return response.json()["resident_id"]

    never = await register("甲", ["elderly_alone"])
    long_ago = await register("乙", ["elderly_alone"])
    await surveyed(long_ago, days_ago=90)
    await surveyed(long_ago, days_ago=40)
    recently = await register("丙", ["elderly"])
    await surveyed(recently, days_ago=5)
    declined = await register("丁", ["elderly_alone"])
    await needs.post(
        f"/residents/{declined}/consents", json={"purpose": "services", "given_by": "self"}
    )
    await needs.post(f"/residents/{declined}/consents/services/withdraw")
    erased = await register("戊", ["elderly_alone"])
    await needs.delete(f"/residents/{erased}/personal-data")

    social_worker = await token_for(Role.social_worker)

    async def due(query: str) -> list[str]:
        response = await needs.get(f"/residents/due?{query}", headers=social_worker)
        assert response.status_code == 200, response.text
        return [r["resident_id"] for r in response.json()["items"]]

    assert await due("days=30") == [never, long_ago]
    assert await due("days=3") == [never, long_ago, recently]
    assert await due("days=3&group=elderly") == [recently]
    await community("lanjiang", "兰江社区", "兰江街道")
    assert await due("days=3&community_id=lanjiang") == []
    first = (await needs.get("/residents/due?days=3&limit=2", headers=social_worker)).json()
    rest = (
        await needs.get(
            f"/residents/due?days=3&limit=2&cursor={first['next_cursor']}", headers=social_worker
        )
    ).json()
    assert [r["resident_id"] for r in first["items"] + rest["items"]] == [
        never,
        long_ago,
        recently,
    ]
    [_, shown, _] = first["items"] + rest["items"]
    assert shown["last_visit"].startswith(
        (datetime.now(UTC) - timedelta(days=40)).date().isoformat()
    )
    assert "甲" not in str(first)  # pseudonymous, as every list
    bad = await needs.get("/residents/due?days=0", headers=social_worker)
    assert bad.status_code == 422
    assert "days" in bad.json()["detail"]

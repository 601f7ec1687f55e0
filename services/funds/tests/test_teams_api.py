"""`GET /teams`: the teams the funds service knows, and those a person coordinates — what a
team coordinator's page acts for — against the real database."""

from uuid import uuid4

from wushe_service.auth import Role


async def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [team["name"] for team in response.json()["items"]]


class TestListTeams:
    async def test_a_coordinator_lists_the_teams_they_coordinate_by_name(
        self, funds, known_team, token_for
    ):
        me, other = uuid4(), uuid4()
        sunshine = await known_team("阳光儿童服务社", coordinators=[me])
        await known_team("银龄服务队", coordinators=[me])
        await known_team("江滨助学社", members=[me])  # a member only: not theirs to act for
        await known_team("青年志愿队", coordinators=[other])
        as_me = await token_for(Role.coordinator, person=me)

        mine = await funds.get("/teams", headers=as_me)
        assert sorted(await names(mine)) == sorted(["阳光儿童服务社", "银龄服务队"])
        assert {"team_id": sunshine, "name": "阳光儿童服务社", "kind": "volunteer_team"} in (
            mine.json()["items"]
        )
        # Naming themselves is the same; naming another is refused.
        assert await names(await funds.get(f"/teams?coordinator_id={me}", headers=as_me)) == (
            await names(mine)
        )
        theirs = await funds.get(f"/teams?coordinator_id={other}", headers=as_me)
        assert theirs.status_code == 403
        # The refusal says who may, in words.
        assert theirs.json()["detail"].startswith(
            "coordinator_id: only the person themself or the office's staff"
        )

    async def test_a_coordinators_token_naming_nobody_lists_nothing(self, funds, token_for):
        nobody = await funds.get("/teams", headers=await token_for(Role.coordinator))
        assert nobody.status_code == 403
        assert "--person" in nobody.json()["detail"]

    async def test_fund_staff_list_anyones_teams_or_all_of_them_page_by_page(
        self, funds, known_team, token_for
    ):
        someone = uuid4()
        await known_team("乙队", coordinators=[someone])
        await known_team("甲队")
        manager = await token_for(Role.fund_manager)
        assert await names(
            await funds.get(f"/teams?coordinator_id={someone}", headers=manager)
        ) == ["乙队"]

        first = await funds.get("/teams?limit=1", headers=manager)
        assert len(await names(first)) == 1
        rest = await funds.get(
            f"/teams?limit=50&cursor={first.json()['next_cursor']}", headers=manager
        )
        every = (await names(first)) + (await names(rest))
        assert rest.json()["next_cursor"] is None
        assert {"甲队", "乙队"} <= set(every)
        ids = [team["team_id"] for team in first.json()["items"] + rest.json()["items"]]
        assert len(ids) == len(set(ids))  # each team once across the pages

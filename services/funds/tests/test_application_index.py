"""A round's and a team's applications are found by the `applications` table's indexes,
written in each submission's transaction, not by reading every event of the office."""

from uuid import UUID, uuid4

from wushe_funds import store as funds_store
from wushe_funds.migrations.versions import funds_0009
from wushe_service.auth import Role


async def submit(funds, round_id, team_id, headers=None):
    body = {
        "team_id": team_id,
        "community_id": "fengshan",
        "title": "儿童课后托管",
        "requested_fen": 100_000,
        "budget_lines": [{"item": "图书", "amount_fen": 100_000}],
    }
    response = await funds.post(f"/rounds/{round_id}/applications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["application_id"]


class TestTheIndex:
    async def test_a_round_and_a_team_list_their_applications_in_the_order_submitted(
        self, funds, fund, grant_round, known_team, runtime
    ):
        fund_id = await fund()
        spring, autumn = await grant_round(fund_id), await grant_round(fund_id)
        ours, theirs = await known_team(), await known_team()
        first = await submit(funds, spring, ours)
        second = await submit(funds, spring, theirs)
        third = await submit(funds, autumn, ours)

        async with runtime.store.connection() as db:
            assert await funds_store.applications.applications_of(db, UUID(spring)) == [
                UUID(first),
                UUID(second),
            ]
        listed = (await funds.get(f"/rounds/{spring}/applications")).json()
        assert [a["application_id"] for a in listed["items"]] == [first, second]
        team = (await funds.get(f"/teams/{ours}/applications")).json()
        assert [(a["application_id"], a["round_id"]) for a in team["items"]] == [
            (first, spring),
            (third, autumn),
        ]
        assert team["next_cursor"] is None

    async def test_a_team_lists_by_page_and_by_state(
        self, funds, fund, grant_round, known_team, approved_grant
    ):
        fund_id = await fund()
        team = await known_team()
        rounds = [await grant_round(fund_id) for _ in range(3)]
        granted = await approved_grant(rounds[0], amount=100_000, team_id=team)
        pending = [await submit(funds, r, team) for r in rounds[1:]]

        url = f"/teams/{team}/applications"
        page = (await funds.get(url, params={"limit": 2})).json()
        rest = (await funds.get(url, params={"limit": 2, "cursor": page["next_cursor"]})).json()
        assert [a["application_id"] for a in page["items"] + rest["items"]] == [granted, *pending]
        assert rest["next_cursor"] is None
        approved = (await funds.get(url, params={"state": "approved"})).json()["items"]
        assert [a["application_id"] for a in approved] == [granted]

    async def test_an_application_submitted_again_after_a_withdrawal_keeps_its_place(
        self, funds, fund, grant_round, known_team, token_for, sql
    ):
        round_id = await grant_round(await fund())
        coordinator = uuid4()
        team = await known_team(coordinators=[coordinator])
        as_team = await token_for(Role.coordinator, person=coordinator)
        the_id = await submit(funds, round_id, team, as_team)
        other = await submit(funds, round_id, await known_team())
        withdrawn = await funds.post(f"/applications/{the_id}/withdraw", headers=as_team)
        assert withdrawn.status_code == 200, withdrawn.text
        assert await submit(funds, round_id, team, as_team) == the_id

        listed = (await funds.get(f"/rounds/{round_id}/applications")).json()["items"]
        assert [a["application_id"] for a in listed] == [the_id, other]
        rows = await sql(
            "SELECT count(*) FROM funds.applications WHERE application_id = $1", UUID(the_id)
        )
        assert rows[0]["count"] == 1

    async def test_an_unknown_team_is_404_and_a_known_one_without_applications_empty(
        self, funds, known_team
    ):
        assert (await funds.get(f"/teams/{uuid4()}/applications")).status_code == 404
        empty = await funds.get(f"/teams/{await known_team()}/applications")
        assert empty.json() == {"items": [], "next_cursor": None}

    async def test_the_migration_fills_the_index_as_the_submissions_wrote_it(
        self, funds, fund, grant_round, known_team, runtime, token_for
    ):
        round_id = await grant_round(await fund())
        coordinator = uuid4()
        team = await known_team(coordinators=[coordinator])
        as_team = await token_for(Role.coordinator, person=coordinator)
        the_id = await submit(funds, round_id, team, as_team)
        await submit(funds, round_id, await known_team())
        await funds.post(f"/applications/{the_id}/withdraw", headers=as_team)
        await submit(funds, round_id, team, as_team)
        query = "SELECT * FROM applications ORDER BY submitted_position"
        async with runtime.store.connection() as db:
            written = await db.fetch(query)
            async with db.transaction():
                await db.execute("DELETE FROM applications")
                await db.execute(funds_0009.FILL)
                filled = await db.fetch(query)
        assert len(written) >= 2
        assert filled == written

    async def test_the_reads_are_answered_by_the_indexes(self, runtime):
        async with runtime.store.connection() as db, db.transaction():
            # An empty table is read fastest by a scan: forbid it, and the index must serve.
            await db.execute("SET LOCAL enable_seqscan = off")
            for column, index in (
                ("round_id", "applications_by_round"),
                ("team_id", "applications_by_team"),
            ):
                plan = await db.fetchval(
                    "EXPLAIN (FORMAT JSON) "
                    + funds_store.applications._AFTER.format(column=column),
                    uuid4(),
                    0,
                )
                assert index in plan, plan

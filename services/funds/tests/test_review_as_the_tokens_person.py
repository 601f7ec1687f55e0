"""A review by a reviewer's token names its reviewer by the token: `reviewer_id` may be left out,
over HTTP against the real PostgreSQL and NATS; a token naming nobody, with no `reviewer_id`,
is a 422 naming it; another person than the token's, a 403 naming the rule."""

from uuid import uuid4

from wushe_service.auth import Role

from .test_review_overall_score import reviewed_events


async def test_a_reviewer_token_scores_as_its_person_without_naming_them(
    funds, fund, grant_round, submitted, token_for, sql
):
    the_id = await submitted(await grant_round(await fund()), checked=True)
    reviewer = str(uuid4())
    headers = await token_for(Role.reviewer, person=reviewer)

    scored = await funds.post(
        f"/applications/{the_id}/reviews", headers=headers, json={"score": 80, "comments": "可行"}
    )

    assert scored.status_code == 201, scored.text
    [mine] = scored.json()["reviewers"]
    assert (mine["reviewer_id"], mine["score"], mine["comments"]) == (reviewer, 80, "可行")
    [event] = await reviewed_events(sql, the_id)
    assert (event["reviewer_id"], event["score"]) == (reviewer, 80)


async def test_a_token_naming_nobody_without_reviewer_id_is_a_422_naming_it(
    funds, fund, grant_round, submitted, sql
):
    the_id = await submitted(await grant_round(await fund()), checked=True)

    # The test client's admin token acts for nobody in particular.
    refused = await funds.post(f"/applications/{the_id}/reviews", json={"score": 80})

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "reviewer_id"
    assert await reviewed_events(sql, the_id) == []


async def test_a_reviewer_token_naming_another_reviewer_is_a_403_naming_the_rule(
    funds, fund, grant_round, submitted, token_for, sql
):
    the_id = await submitted(await grant_round(await fund()), checked=True)
    mine, another = str(uuid4()), str(uuid4())
    headers = await token_for(Role.reviewer, person=mine)

    refused = await funds.post(
        f"/applications/{the_id}/reviews",
        headers=headers,
        json={"reviewer_id": another, "score": 80},
    )

    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["field"], body["acts_for"]) == (
        "not_your_person",
        "reviewer_id",
        mine,
    )
    assert await reviewed_events(sql, the_id) == []


async def test_a_reviewer_token_recuses_as_its_person_without_naming_them(
    funds, fund, grant_round, submitted, token_for
):
    the_id = await submitted(await grant_round(await fund()), checked=True)
    reviewer = str(uuid4())
    headers = await token_for(Role.reviewer, person=reviewer)

    recused = await funds.post(
        f"/applications/{the_id}/recusals", headers=headers, json={"reason": "team-member"}
    )

    assert recused.status_code == 201, recused.text
    assert [(r["reviewer_id"], r["reason"]) for r in recused.json()["recusals"]] == [
        (reviewer, "team-member")
    ]


async def test_a_recusal_naming_nobody_by_a_token_naming_nobody_is_a_422(
    funds, fund, grant_round, submitted
):
    the_id = await submitted(await grant_round(await fund()), checked=True)

    refused = await funds.post(f"/applications/{the_id}/recusals", json={})

    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["reviewer_id"]
    seen = (await funds.get(f"/applications/{the_id}")).json()
    assert seen["recusals"] == []

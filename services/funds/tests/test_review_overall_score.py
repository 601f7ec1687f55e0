"""A review given as DESIGN §5 names it, one overall `score` 0-100, over HTTP against the real
PostgreSQL and NATS: alone, or with the criterion `scores` whose rounded mean it must be."""

import json
from uuid import uuid4

import pytest

from wushe_service.auth import Role


async def review(funds, token_for, the_id: str, **body):
    reviewer = str(uuid4())
    headers = await token_for(Role.reviewer, person=reviewer)
    return await funds.post(
        f"/applications/{the_id}/reviews", headers=headers, json={"reviewer_id": reviewer, **body}
    )


async def reviewed_events(sql, the_id: str) -> list[dict]:
    rows = await sql(
        "SELECT data FROM funds.events WHERE aggregate = 'application' AND aggregate_id = $1"
        " AND event_type = 'wushe.funds.application.reviewed.v1' ORDER BY version",
        the_id,
    )
    return [json.loads(r["data"]) if isinstance(r["data"], str) else r["data"] for r in rows]


def refused_field(response) -> str:
    assert response.status_code == 422, response.text
    return response.json()["errors"][0]["field"]


class TestAnOverallScoreAlone:
    async def test_is_recorded_without_criterion_scores_and_counts_in_the_mean(
        self, funds, fund, grant_round, submitted, token_for, sql, public
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)

        alone = await review(funds, token_for, the_id, score=70, comments="预算清楚")
        assert alone.status_code == 201, alone.text
        [mine] = alone.json()["reviewers"]
        assert (mine["score"], mine["scores"], mine["mean_score"]) == (70, {}, 70)
        detailed = await review(funds, token_for, the_id, scores={"need": 85, "feasibility": 75})
        assert detailed.status_code == 201, detailed.text

        # The fund's staff see both reviews, and their mean over the overall and the detailed.
        seen = (await funds.get(f"/applications/{the_id}")).json()
        assert seen["mean_score"] == 75
        assert sorted((r["score"], r["scores"] == {}) for r in seen["reviewers"]) == [
            (70, True),
            (80, False),
        ]
        assert [(e["score"], e["scores"]) for e in await reviewed_events(sql, the_id)] == [
            (70, {}),
            (80, {"need": 85, "feasibility": 75}),
        ]
        approved = await funds.post(f"/applications/{the_id}/approve", json={"approved_fen": 1})
        assert approved.status_code == 200, approved.text
        disclosed = await public(f"/public/applications/{the_id}/disclosure")
        assert disclosed.status_code == 200, disclosed.text
        assert disclosed.json()["selection"] | {"decided_at": None} == {
            "method": "micro-venture round: eligibility check, scored review, decision",
            "reviews": 2,
            "mean_score": 75,
            "decided_at": None,
        }

    async def test_outside_0_to_100_is_a_422_naming_score_and_records_nothing(
        self, funds, fund, grant_round, submitted, token_for, sql
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)
        for wrong in (101, -1, "高"):
            assert refused_field(await review(funds, token_for, the_id, score=wrong)) == "score"
        assert await reviewed_events(sql, the_id) == []


class TestAnOverallScoreWithCriterionScores:
    @pytest.mark.parametrize(
        ("scores", "score", "recorded"),
        [
            ({"need": 85, "feasibility": 75}, 80, 80),
            # A mean of exactly x.5 may be given rounded either way; the event keeps ours.
            ({"need": 85, "feasibility": 80}, 83, 82),
            ({"need": 85, "feasibility": 80}, 82, 82),
        ],
    )
    async def test_that_is_their_rounded_mean_is_recorded_with_them(
        self, funds, fund, grant_round, submitted, token_for, sql, scores, score, recorded
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)
        answer = await review(funds, token_for, the_id, score=score, scores=scores)
        assert answer.status_code == 201, answer.text
        assert [(e["score"], e["scores"]) for e in await reviewed_events(sql, the_id)] == [
            (recorded, scores)
        ]

    async def test_that_is_not_their_rounded_mean_is_a_422_naming_score(
        self, funds, fund, grant_round, submitted, token_for, sql
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)
        answer = await review(
            funds, token_for, the_id, score=90, scores={"need": 85, "feasibility": 75}
        )
        assert refused_field(answer) == "score"
        assert "80" in answer.json()["detail"]
        assert await reviewed_events(sql, the_id) == []
        # Nothing was recorded: the same reviewer may still review it.
        assert (await funds.get(f"/applications/{the_id}")).json()["reviewers"] == []

    async def test_missing_a_criterion_is_still_a_422_naming_scores(
        self, funds, fund, grant_round, submitted, token_for
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)
        answer = await review(funds, token_for, the_id, score=85, scores={"need": 85})
        assert refused_field(answer) == "scores"


class TestAReviewWithoutAnyScore:
    @pytest.mark.parametrize("body", [{}, {"scores": {}}, {"comments": "很好"}])
    async def test_is_a_422_naming_scores_and_the_two_ways_to_score(
        self, funds, fund, grant_round, submitted, token_for, sql, body
    ):
        round_id = await grant_round(await fund())
        the_id = await submitted(round_id, checked=True)
        answer = await review(funds, token_for, the_id, **body)
        assert refused_field(answer) == "scores"
        assert "need, feasibility" in answer.json()["detail"]
        assert "score" in answer.json()["detail"]
        assert await reviewed_events(sql, the_id) == []

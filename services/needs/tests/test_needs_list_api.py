"""Surveys, the community needs list (需求清单), spot checks and consent over HTTP."""

from uuid import uuid4

import asyncpg
import orjson
import pytest

from wushe_needs import store
from wushe_needs.migrations.versions import needs_0004
from wushe_service.auth import Role


async def survey(needs, resident_id, levels, needs_found=(), **changes):
    response = await needs.post(
        "/surveys",
        json={
            "resident_id": resident_id,
            "method": "home_visit",
            "dimensions": levels,
            "needs": [{"category": c, "dimension": d, "urgency": u} for c, d, u in needs_found],
            **changes,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


class TestNeedsList:
    async def test_open_needs_come_oldest_first_with_counts_over_the_whole_list(
        self, needs, resident, levels
    ):
        rid = await resident()
        first = await survey(
            needs,
            rid,
            levels,
            [("meal-delivery", "material", "high"), ("companionship", "spiritual", "normal")],
        )
        # Another resident's: the first resident's meal-delivery need is open already.
        other = (
            await needs.post(
                "/residents",
                json={
                    "community_id": "fengshan",
                    "groups": ["elderly"],
                    "birth_year": 1950,
                    "name": "李四",
                },
            )
        ).json()["resident_id"]
        second = await survey(needs, other, levels, [("meal-delivery", "material", "critical")])
        listed = (await needs.get("/communities/fengshan/needs?limit=2")).json()
        assert listed["total"] == 3
        assert listed["by_category"] == {"companionship": 1, "meal-delivery": 2}
        assert listed["by_urgency"] == {"high": 1, "normal": 1, "critical": 1}
        # Oldest first: both needs of the first survey, then the second's.
        assert {n["need_id"] for n in listed["items"]} == set(first["need_ids"])
        rest = (
            await needs.get(f"/communities/fengshan/needs?limit=2&cursor={listed['next_cursor']}")
        ).json()
        assert [n["need_id"] for n in rest["items"]] == second["need_ids"]

    async def test_a_resolved_need_leaves_the_open_list_and_cannot_be_resolved_again(
        self, needs, resident, levels
    ):
        rid = await resident()
        [need_id] = (await survey(needs, rid, levels, [("repair", "material", "low")]))["need_ids"]
        resolved = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
        )
        assert resolved.json()["state"] == "resolved"
        assert (await needs.get("/communities/fengshan/needs")).json()["total"] == 0
        closed = (await needs.get("/communities/fengshan/needs?state=resolved")).json()
        assert [n["reason"] for n in closed["items"]] == ["service-provided"]
        again = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "closed", "reason": "duplicate"}
        )
        assert again.status_code == 409
        assert again.json()["rule"] == "need_not_open"

    async def test_a_need_ended_without_saying_how_is_a_422_naming_outcome(
        self, needs, resident, levels, count_events
    ):
        rid = await resident()
        [need_id] = (await survey(needs, rid, levels, [("repair", "material", "low")]))["need_ids"]
        before = await count_events()
        refused = await needs.post(f"/needs/{need_id}/resolve", json={"reason": "no-longer-needed"})
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["outcome"]
        assert await count_events() == before
        assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"

    async def test_a_reason_that_is_no_slug_is_explained_in_plain_words_and_changes_nothing(
        self, needs, resident, levels, count_events
    ):
        rid = await resident()
        [need_id] = (await survey(needs, rid, levels, [("repair", "material", "low")]))["need_ids"]
        before = await count_events()
        refused = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "resolved", "reason": "服务已提供"}
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"].startswith("reason: must be lowercase letters a-z, digits")
        assert "e.g. service-provided" in refused.json()["detail"]
        assert await count_events() == before
        assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"

    async def test_a_wish_posted_from_a_need_matches_it(self, needs, resident, levels, wish_body):
        rid = await resident()
        [need_id] = (await survey(needs, rid, levels, [("daily-goods", "material", "high")]))[
            "need_ids"
        ]
        body = wish_body(need_id=need_id)
        del body["community_id"]
        response = await needs.post("/wishes", json=body)
        assert response.status_code == 201, response.text
        need = (await needs.get(f"/needs/{need_id}")).json()
        assert (need["state"], need["match_kind"], str(need["match_id"])) == (
            "matched",
            "wish",
            response.json()["wish_id"],
        )
        wish = (await needs.get(f"/wishes/{response.json()['wish_id']}")).json()
        assert (wish["community_id"], wish["resident_id"]) == ("fengshan", rid)

    @pytest.mark.parametrize(
        ("query", "field"), [("state=opne", "query.state.0"), ("urgency=urgent", "query.urgency")]
    )
    async def test_a_filter_that_is_no_state_or_urgency_is_a_422_naming_it(
        self, needs, community, query, field
    ):
        await community()
        response = await needs.get(f"/communities/fengshan/needs?{query}")
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    async def test_the_needs_list_of_an_unknown_community_is_a_404(self, needs):
        assert (await needs.get("/communities/nowhere/needs")).status_code == 404


class TestSurveys:
    async def test_a_later_survey_supersedes_the_assessment_a_spot_check_does_not(
        self, needs, resident, levels
    ):
        rid = await resident()
        first = await survey(needs, rid, levels)
        later_levels = {**levels, "physical": 0}
        second = await survey(needs, rid, later_levels)
        check = await survey(
            needs,
            rid,
            {**later_levels, "material": 1},
            method="spot_check",
            verifies_survey_id=second["survey_id"],
        )
        view = (await needs.get(f"/residents/{rid}")).json()
        assert view["assessment"]["survey_id"] == second["survey_id"]
        assert view["assessment"]["dimensions"] == later_levels
        original = (await needs.get(f"/surveys/{first['survey_id']}")).json()
        assert original["superseded_by"] == second["survey_id"]
        verified = (await needs.get(f"/surveys/{second['survey_id']}")).json()
        assert verified["dimensions"] == later_levels  # verified, not overwritten
        assert verified["verifications"] == [
            {"spot_check_id": check["survey_id"], "discrepancy": True, "differing": ["material"]}
        ]

    async def test_a_spot_check_shows_what_it_found_and_the_failed_ones_are_listed(
        self, needs, resident, levels, runtime, sql, database_url
    ):
        rid = await resident()
        checked = await survey(needs, rid, levels)
        failed = await survey(
            needs,
            rid,
            {**levels, "physical": 0},
            method="spot_check",
            verifies_survey_id=checked["survey_id"],
        )
        passed = await survey(
            needs, rid, levels, method="spot_check", verifies_survey_id=checked["survey_id"]
        )

        async def listed(query: str) -> dict[str, bool | None]:
            response = await needs.get(f"/surveys?{query}")
            assert response.status_code == 200, response.text
            return {s["survey_id"]: s["discrepancy"] for s in response.json()["items"]}

        assert await listed("method=spot_check") == {
            failed["survey_id"]: True,
            passed["survey_id"]: False,
        }
        assert await listed("method=spot_check&discrepancy=true") == {failed["survey_id"]: True}
        assert await listed("discrepancy=true") == {
            checked["survey_id"]: True,  # flagged by any of its checks
            failed["survey_id"]: True,
        }
        assert await listed("discrepancy=false") == {passed["survey_id"]: False}
        bad = await needs.get("/surveys?discrepancy=maybe")
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "query.discrepancy"

        # Replayed, and filled in for the spot checks recorded before (needs_0004).
        rows = "SELECT survey_id, discrepancy FROM needs.surveys ORDER BY survey_id"
        before = await sql(rows)
        await store.rebuild(runtime.store)
        assert await sql(rows) == before
        await sql("UPDATE needs.surveys SET discrepancy = NULL WHERE method = 'spot_check'")
        connection = await asyncpg.connect(database_url, server_settings={"search_path": "needs"})
        try:
            await connection.execute(needs_0004.BACKFILL)
        finally:
            await connection.close()
        assert await sql(rows) == before

    async def test_surveys_list_by_resident(self, needs, resident, levels):
        rid = await resident()
        for _ in range(3):
            await survey(needs, rid, levels)
        page = (await needs.get(f"/surveys?resident_id={rid}&limit=2")).json()
        assert len(page["items"]) == 2
        assert page["next_cursor"]
        assert (await needs.get("/surveys?cursor=not-a-cursor")).status_code == 422


class TestConsent:
    async def test_a_child_needs_a_guardians_consent_before_personal_data_is_stored(
        self, needs, community, count_events
    ):
        await community()
        child = {
            "community_id": "fengshan",
            "groups": ["left_behind_child"],
            "birth_year": 2016,
            "name": "小宇",
        }
        refused = await needs.post("/residents", json=child)
        assert refused.status_code == 409
        assert refused.json()["rule"] == "guardian_consent_required"
        before = await count_events()
        accepted = await needs.post(
            "/residents", json={**child, "consent": {"given_by": "guardian"}}
        )
        assert accepted.status_code == 201
        assert await count_events() == before + 2  # registered, consent granted
        view = (await needs.get(f"/residents/{accepted.json()['resident_id']}")).json()
        assert [c["given_by"] for c in view["consents"]] == ["guardian"]

    async def test_consent_is_recorded_and_withdrawn_with_dates(self, needs, resident):
        rid = await resident()
        granted = await needs.post(
            f"/residents/{rid}/consents", json={"purpose": "sharing", "given_by": "self"}
        )
        assert granted.status_code == 204
        view = (await needs.get(f"/residents/{rid}")).json()
        assert [c["purpose"] for c in view["consents"]] == ["sharing"]
        withdrawn = await needs.post(f"/residents/{rid}/consents/sharing/withdraw")
        assert withdrawn.status_code == 200
        assert withdrawn.json() == {"erased": False, "cancelled_wishes": [], "closed_needs": []}
        assert (await needs.get(f"/residents/{rid}")).json()["consents"] == []


@pytest.mark.parametrize("path", ["/communities", "/residents", "/wishes", "/surveys"])
async def test_lists_need_a_token(needs, path):
    assert (await needs.get(path, headers={"Authorization": ""})).status_code == 401


async def test_communities_page_and_filter_by_street(needs, community, token_for):
    for slug, street in [("a-1", "阳明街道"), ("a-2", "阳明街道"), ("b-1", "兰江街道")]:
        await community(slug, f"{slug}社区", street)
    viewer = await token_for(Role.viewer)
    page = (await needs.get("/communities?street=阳明街道&limit=1", headers=viewer)).json()
    rest = (
        await needs.get(
            f"/communities?street=阳明街道&cursor={page['next_cursor']}", headers=viewer
        )
    ).json()
    assert [c["community_id"] for c in page["items"] + rest["items"]] == ["a-1", "a-2"]


class TestCategories:
    async def test_categories_are_typed_as_slug_or_label_and_read_with_their_label(
        self, needs, resident, levels, count_events
    ):
        rid = await resident()
        found = [("送餐", "material", "high"), ("bathing", "physical", "normal")]
        meals, bathing = (await survey(needs, rid, levels, found))["need_ids"]
        shown = (await needs.get(f"/needs/{meals}")).json()
        assert (shown["category"], shown["category_label"]) == ("meal-delivery", "送餐")
        own = (await needs.get(f"/needs/{bathing}")).json()  # the office's own: as it is
        assert (own["category"], own["category_label"]) == ("bathing", "bathing")
        by_label = (await needs.get("/communities/fengshan/needs?category=送餐")).json()
        assert [n["need_id"] for n in by_label["items"]] == [meals]
        before = await count_events()
        refused = await needs.post(
            "/surveys",
            json={
                "resident_id": rid,
                "method": "home_visit",
                "dimensions": levels,
                "needs": [{"category": "插花", "dimension": "spiritual"}],
            },
        )
        assert refused.status_code == 422
        [error] = refused.json()["errors"]
        assert error["field"] == "needs.0.category"
        assert "meal-delivery (送餐)" in error["message"]
        assert "插花" not in refused.text  # never the value back
        assert await count_events() == before
        unknown = await needs.get("/communities/fengshan/needs?category=插花")
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"] == "category"


class TestReprioritise:
    async def test_an_open_needs_urgency_is_raised_and_published(
        self, needs, resident, surveyed, sql
    ):
        [need_id] = await surveyed(await resident(), ("repair", "material", "normal"))
        raised = await needs.post(f"/needs/{need_id}/reprioritise", json={"urgency": "critical"})
        assert raised.status_code == 200, raised.text
        assert raised.json()["urgency"] == "critical"
        assert (await needs.get(f"/needs/{need_id}")).json()["urgency"] == "critical"
        [event] = await sql(
            """SELECT data FROM needs.events
               WHERE event_type = 'wushe.needs.need.reprioritised.v1'"""
        )
        assert orjson.loads(event["data"]) == {
            "need_id": need_id,
            "community_id": "fengshan",
            "urgency": "critical",
            "from_urgency": "normal",
        }

    @pytest.mark.parametrize("urgency", ["low", "normal"])
    async def test_a_lower_or_equal_urgency_is_a_409_and_changes_nothing(
        self, needs, resident, surveyed, count_events, urgency
    ):
        [need_id] = await surveyed(await resident(), ("repair", "material", "normal"))
        before = await count_events()
        refused = await needs.post(f"/needs/{need_id}/reprioritise", json={"urgency": urgency})
        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "urgency_only_rises"
        assert "high, critical" in refused.json()["detail"]
        assert await count_events() == before
        assert (await needs.get(f"/needs/{need_id}")).json()["urgency"] == "normal"

    async def test_a_closed_unknown_or_mistyped_need_is_refused(
        self, needs, resident, surveyed, count_events
    ):
        [need_id] = await surveyed(await resident(), ("repair", "material", "low"))
        await needs.post(f"/needs/{need_id}/resolve", json={"outcome": "closed", "reason": "gone"})
        before = await count_events()
        closed = await needs.post(f"/needs/{need_id}/reprioritise", json={"urgency": "high"})
        assert closed.json()["rule"] == "need_not_open"
        unknown = await needs.post(f"/needs/{uuid4()}/reprioritise", json={"urgency": "high"})
        assert unknown.status_code == 404
        mistyped = await needs.post(f"/needs/{need_id}/reprioritise", json={"urgency": "urgent"})
        assert mistyped.status_code == 422
        assert mistyped.json()["errors"][0]["field"] == "urgency"
        assert await count_events() == before

    async def test_only_social_workers_reprioritise(self, needs, resident, surveyed, token_for):
        [need_id] = await surveyed(await resident(), ("repair", "material", "low"))
        volunteer = await token_for(Role.volunteer)
        refused = await needs.post(
            f"/needs/{need_id}/reprioritise", json={"urgency": "high"}, headers=volunteer
        )
        assert refused.status_code == 403


async def test_the_needs_list_by_urgency_is_the_most_urgent_first_then_the_oldest(
    needs, resident, surveyed
):
    rid = await resident()
    older = await surveyed(
        rid, ("repair", "material", "low"), ("medical", "physical", "high"), days_ago=3
    )
    newer = await surveyed(
        rid,
        ("haircut", "physical", "critical"),
        ("cleaning", "material", "low"),
        ("legal", "spiritual", "high"),
        days_ago=1,
    )
    await needs.post(f"/needs/{older[0]}/reprioritise", json={"urgency": "normal"})
    expected = [newer[0], older[1], newer[2], older[0], newer[1]]
    seen, cursor = [], None
    while True:
        page = (
            await needs.get(
                "/communities/fengshan/needs",
                params={"order": "urgency", "limit": 2} | ({"cursor": cursor} if cursor else {}),
            )
        ).json()
        assert all("urgency_rank" not in n for n in page["items"])
        seen += [n["need_id"] for n in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == expected
    default = (await needs.get("/communities/fengshan/needs")).json()
    assert {n["need_id"] for n in default["items"][:2]} == set(older)  # found together
    bad = await needs.get("/communities/fengshan/needs?order=priority")
    assert bad.status_code == 422

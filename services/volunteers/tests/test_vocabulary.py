"""Skills and need categories typed as their slugs or their Chinese labels."""

import json

import asyncpg
import pytest

from wushe_events.catalogue.vocabulary import (
    CERTIFICATIONS,
    NEED_CATEGORIES,
    SITE_KINDS,
    SKILLS,
    TEAM_KINDS,
    Vocabulary,
)
from wushe_events.catalogue.volunteers import Certification, SiteKind, TeamKind


class TestTheTables:
    def test_a_page_offers_each_slug_with_the_label_shown_for_it(self):
        shown = NEED_CATEGORIES.shown()
        assert list(shown) == list(NEED_CATEGORIES.labels)
        assert shown["haircut"] == NEED_CATEGORIES.label("haircut") == "理发"

    @pytest.mark.parametrize(
        ("typed", "slug"),
        [("助老", "elderly-care"), ("心理疏导", "mental-health"), (" 理 发 ", "haircut"),
         ("Haircut", "haircut"), ("义剪", "haircut"), ("mental-health", "mental-health")],
    )  # fmt: skip
    def test_a_skill_is_its_slug_or_any_of_its_labels(self, typed, slug):
        assert SKILLS.slug(typed) == slug

    def test_the_first_label_is_the_one_shown_and_an_unknown_slug_shows_as_it_is(self):
        assert SKILLS.label("haircut") == "理发"
        assert NEED_CATEGORIES.label("mental-health") == "心理疏导"
        assert SKILLS.label("juggling") == "juggling"  # recorded before the table knew it

    def test_an_unknown_one_lists_what_is_accepted_without_repeating_it(self):
        with pytest.raises(ValueError, match="not a known skill") as refused:
            SKILLS.slug("插花 13912345678")
        assert "elderly-care (助老)" in str(refused.value)
        assert "13912345678" not in str(refused.value)

    def test_values_are_deduplicated_in_the_order_given(self):
        assert SKILLS.slugs(["理发", "助老", "haircut"]) == ["haircut", "elderly-care"]

    def test_a_label_may_not_name_two_slugs(self):
        with pytest.raises(ValueError, match="means both"):
            Vocabulary("thing", {"a": ("甲",), "b": ("甲",)})

    def test_every_team_kind_site_kind_and_certification_has_a_label(self):
        for vocabulary, enum in [
            (TEAM_KINDS, TeamKind),
            (SITE_KINDS, SiteKind),
            (CERTIFICATIONS, Certification),
        ]:
            assert set(vocabulary.labels) == {member.value for member in enum}
        assert TEAM_KINDS.label("university") == "高校"
        assert CERTIFICATIONS.label("assistant") == "助理社会工作师"

    def test_skills_serving_a_need_share_its_slug(self):
        for slug in ("haircut", "mental-health", "companionship", "repair", "tutoring"):
            assert slug in SKILLS.labels
            assert slug in NEED_CATEGORIES.labels


async def _events(database_url: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval("SELECT count(*) FROM volunteers.events")
    finally:
        await connection.close()


async def _payloads(database_url: str, kind: str) -> list[dict]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            """SELECT data FROM volunteers.events WHERE event_type = $1
               ORDER BY global_position""",
            kind,
        )
    finally:
        await connection.close()
    return [json.loads(r["data"]) if isinstance(r["data"], str) else r["data"] for r in rows]


class TestOverHttp:
    async def test_a_volunteer_registers_with_skills_in_chinese_and_the_event_keeps_slugs(
        self, volunteers, volunteer, database_url
    ):
        who = await volunteer(skills=["助老", "心理疏导", "haircut", "理发"])
        shown = (await volunteers.get(f"/volunteers/{who}")).json()
        assert shown["skills"] == ["elderly-care", "haircut", "mental-health"]
        assert shown["skill_labels"] == ["助老", "理发", "心理疏导"]
        [listed] = (await volunteers.get("/volunteers")).json()["items"]
        assert listed["skill_labels"] == ["助老", "理发", "心理疏导"]
        [registered] = await _payloads(database_url, "wushe.volunteers.volunteer.registered.v1")
        assert registered["skills"] == ["elderly-care", "haircut", "mental-health"]

    async def test_an_unknown_skill_is_a_422_listing_the_accepted_ones(
        self, volunteers, database_url
    ):
        before = await _events(database_url)
        refused = await volunteers.post(
            "/volunteers",
            json={
                "name": "李明",
                "phone": "13912345678",
                "community_id": "fengshan",
                "skills": ["助老", "插花"],
            },
        )
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "skills.1"
        assert "not a known skill" in error["message"]
        assert "elderly-care (助老)" in error["message"]
        assert "插花" not in refused.text
        assert await _events(database_url) == before

    async def test_an_activity_takes_need_categories_in_chinese(
        self, volunteers, team, database_url
    ):
        team_id, _ = await team()
        body = {
            "team_id": team_id,
            "community_id": "fengshan",
            "title": "重阳节义剪",
            "starts_at": "2030-01-07T01:00:00Z",
            "ends_at": "2030-01-07T03:00:00Z",
            "capacity": 5,
            "need_categories": ["理发", "companionship", "陪伴"],
        }
        created = await volunteers.post("/activities", json=body)
        assert created.status_code == 201, created.text
        shown = (await volunteers.get(f"/activities/{created.json()['activity_id']}")).json()
        assert shown["need_categories"] == ["companionship", "haircut"]
        assert shown["need_category_labels"] == ["陪伴", "理发"]
        [scheduled] = await _payloads(database_url, "wushe.volunteers.activity.scheduled.v1")
        assert scheduled["need_categories"] == ["companionship", "haircut"]
        # The public board filters by either.
        for category in ("理发", "haircut"):
            board = await volunteers.get(f"/public/activities?need_category={category}")
            assert [a["title"] for a in board.json()["items"]] == ["重阳节义剪"]

        before = await _events(database_url)
        refused = await volunteers.post(
            "/activities", json=body | {"need_categories": ["理发", "插花"]}
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "need_categories.1"
        assert "meal-delivery (送餐)" in refused.json()["detail"]
        assert await _events(database_url) == before
        unknown = await volunteers.get("/public/activities?need_category=插花")
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"] == "need_category"
        assert "haircut (理发)" in unknown.json()["detail"]

"""The needs service as a client reading only DESIGN.md calls it: each path of §5's table with
the request fields of §5 and the event catalogue (§4), minimal bodies, against the real
PostgreSQL and NATS. A create answers 201 with the new id under its catalogue name."""

from datetime import UTC, datetime, timedelta

LEVELS = {"physical": 2, "psychological": 1, "material": 3, "spiritual": 0}


def created(response, id_name: str) -> str:
    assert response.status_code == 201, response.text
    return response.json()[id_name]


def done(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


async def a_resident(needs, community_id: str) -> str:
    return created(
        await needs.post(
            "/residents",
            json={
                "community_id": community_id,
                "groups": ["elderly_alone"],
                "name": "王秀英",
                "id_number": "11010519491231002X",
                "phone": "13812345678",
                "address": "丰山社区3幢2单元101",
                "notes": "独居",
                "birth_year": 1949,
            },
        ),
        "resident_id",
    )


def a_wish(community_id: str, resident_id: str) -> dict:
    return {
        "community_id": community_id,
        "resident_id": resident_id,
        "category": "daily-goods",
        "title": "一台收音机",
        "estimated_value_fen": 15_000,
        "deadline": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    }


class TestTheNeedsContract:
    async def test_communities_residents_surveys_and_needs(self, needs):
        community_id = created(
            await needs.post(
                "/communities",
                json={"community_id": "fengshan", "name": "丰山社区", "street": "凤山街道"},
            ),
            "community_id",
        )
        assert community_id == "fengshan"
        resident_id = await a_resident(needs, community_id)
        surveyed_at = datetime.now(UTC) - timedelta(hours=1)
        survey = await needs.post(
            "/surveys",
            json={
                "resident_id": resident_id,
                "community_id": community_id,
                "method": "home_visit",
                "surveyed_at": surveyed_at.isoformat(),
                "dimensions": LEVELS,
                "needs": [{"category": "daily-goods", "dimension": "material", "urgency": "high"}],
            },
        )
        survey_id = created(survey, "survey_id")
        [need_id] = survey.json()["need_ids"]

        assert done(await needs.get(f"/surveys/{survey_id}"))["survey_id"] == survey_id
        listed = done(await needs.get(f"/communities/{community_id}/needs"))
        assert need_id in {n["need_id"] for n in listed["items"]}
        resolved = await needs.post(
            f"/needs/{need_id}/resolve",
            json={"resolution": "resolved", "reason": "service-provided"},
        )
        assert done(resolved)["state"] == "resolved"
        erased = await needs.delete(f"/residents/{resident_id}/personal-data")
        assert erased.status_code == 200, erased.text

    async def test_a_survey_naming_another_community_than_the_residents_is_a_422(self, needs):
        for slug, name in (("fengshan", "丰山社区"), ("jiangbin", "江滨社区")):
            created(
                await needs.post(
                    "/communities", json={"community_id": slug, "name": name, "street": "凤山街道"}
                ),
                "community_id",
            )
        resident_id = await a_resident(needs, "fengshan")
        refused = await needs.post(
            "/surveys",
            json={
                "resident_id": resident_id,
                "community_id": "jiangbin",
                "method": "phone",
                "dimensions": LEVELS,
            },
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "community_id"

    async def test_the_wish_verbs_and_the_public_board(self, needs, known_volunteer):
        created(
            await needs.post(
                "/communities",
                json={"community_id": "fengshan", "name": "丰山社区", "street": "凤山街道"},
            ),
            "community_id",
        )
        resident_id = await a_resident(needs, "fengshan")
        volunteer_id = await known_volunteer()
        claim = {"claimant_id": volunteer_id, "claimant_kind": "volunteer"}

        wish_id = created(
            await needs.post("/wishes", json=a_wish("fengshan", resident_id)), "wish_id"
        )
        for verb, body in [
            ("claim", claim),
            ("release", {"claimant_id": volunteer_id}),
            ("claim", claim),
            ("fulfil", {"claimant_id": volunteer_id}),
            ("confirm", None),
        ]:
            done(await needs.post(f"/wishes/{wish_id}/{verb}", json=body))
        assert done(await needs.get(f"/wishes/{wish_id}"))["state"] == "confirmed"

        other = created(
            await needs.post("/wishes", json=a_wish("fengshan", resident_id)), "wish_id"
        )
        assert done(await needs.post(f"/wishes/{other}/cancel"))["state"] == "cancelled"
        board = done(await needs.get("/public/wishes"))
        assert "items" in board

    async def test_a_need_ended_naming_its_resolution_only_has_reason_other(self, needs):
        created(
            await needs.post(
                "/communities",
                json={"community_id": "fengshan", "name": "丰山社区", "street": "凤山街道"},
            ),
            "community_id",
        )
        resident_id = await a_resident(needs, "fengshan")
        survey = await needs.post(
            "/surveys",
            json={
                "resident_id": resident_id,
                "method": "phone",
                "dimensions": LEVELS,
                "needs": [
                    {"category": "daily-goods", "dimension": "material", "urgency": "normal"},
                    {"category": "companionship", "dimension": "spiritual", "urgency": "low"},
                ],
            },
        )
        met, ended = created(survey, "need_ids")
        for need_id, resolution in ((met, "resolved"), (ended, "closed")):
            answer = done(
                await needs.post(f"/needs/{need_id}/resolve", json={"resolution": resolution})
            )
            assert answer["state"] == resolution
            shown = done(await needs.get(f"/needs/{need_id}"))
            assert (shown["resolution"], shown["reason"]) == (resolution, "other")

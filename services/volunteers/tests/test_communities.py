"""Communities the volunteers service knows: a replica of the needs service's, from its events;
a command naming any other community is refused."""

from datetime import UTC, datetime, timedelta

import pytest

from wushe_events.catalogue.needs import CommunityRegistered, CommunityRenamed
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_service import testing

TYPO = "fengshna"


async def _event_count(database_url) -> int:
    [row] = await testing.sql(database_url)("SELECT count(*) FROM volunteers.events")
    return row[0]


class TestAnUnknownCommunity:
    @pytest.mark.parametrize("what", ["volunteer", "pairing", "site", "activity"])
    async def test_is_refused_naming_community_id_and_nothing_changes(
        self, volunteers, team, database_url, what
    ):
        team_id, _ = await team()
        uni = (
            await volunteers.post("/teams", json={"kind": "university", "name": "宁波大学"})
        ).json()["team_id"]
        org = (
            await volunteers.post("/teams", json={"kind": "social_org", "name": "阳光社工"})
        ).json()["team_id"]
        starts = datetime.now(UTC) + timedelta(days=2)
        path, body = {
            "volunteer": ("/volunteers", {"name": "李明", "phone": "13912345670"}),
            "pairing": ("/pairings", {"university_team_id": uni, "social_org_team_id": org}),
            "site": ("/sites", {"kind": "volunteer_station", "name": "丰山志愿服务站"}),
            "activity": (
                "/activities",
                {
                    "team_id": team_id,
                    "title": "理发进社区",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(hours=2)).isoformat(),
                    "capacity": 5,
                },
            ),
        }[what]
        before = await _event_count(database_url)

        refused = await volunteers.post(path, json={**body, "community_id": TYPO})

        assert refused.status_code == 409, refused.text
        assert refused.json()["rule"] == "community_unknown"
        assert "community_id" in refused.json()["detail"]
        assert await _event_count(database_url) == before
        accepted = await volunteers.post(path, json={**body, "community_id": "fengshan"})
        assert accepted.status_code == 201, accepted.text


class TestTheReplica:
    async def test_a_community_registered_in_needs_is_known_once_its_event_is_consumed(
        self, volunteers, js, office
    ):
        body = {"name": "李明", "phone": "13912345670", "community_id": "meiyuan"}
        assert (await volunteers.post("/volunteers", json=body)).status_code == 409
        assert (await volunteers.get("/communities/meiyuan")).status_code == 404
        registered = envelope_of(
            office, CommunityRegistered(community_id="meiyuan", name="梅园社区", street="凤山街道")
        )
        await publish(js, registered, registered)  # a redelivery is skipped

        async def known():
            response = await volunteers.get("/communities/meiyuan")
            return response.json() if response.status_code == 200 else None

        community = await wait_until(known, message="the community reaches the replica")
        assert (community["name"], community["street"]) == ("梅园社区", "凤山街道")
        created = await volunteers.post("/volunteers", json=body)
        assert created.status_code == 201, created.text

    async def test_a_renaming_is_kept_and_a_late_older_event_does_not_undo_it(
        self, volunteers, js, office, database_url
    ):
        def version(n: int, name: str):
            event = CommunityRenamed if n > 1 else CommunityRegistered
            return envelope_of(
                office, event(community_id="meiyuan", name=name, street="凤山街道"), n
            )

        await publish(js, version(1, "梅园社区"), version(3, "梅园新村"), version(2, "梅园村"))

        sql = testing.sql(database_url)

        async def all_consumed():
            rows = await sql(
                "SELECT count(*) FROM volunteers.tracking WHERE consumer = $1",
                "volunteers-communities",
            )
            return rows[0][0] == 3

        await wait_until(all_consumed, message="the three events are consumed")
        assert (await volunteers.get("/communities/meiyuan")).json()["name"] == "梅园新村"

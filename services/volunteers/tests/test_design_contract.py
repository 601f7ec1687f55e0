"""The volunteers service as a client reading only DESIGN.md calls it: each path of §5's table
with the request fields of §5 and the event catalogue (§4), minimal bodies, against the real
PostgreSQL and NATS. A create answers 201 with the new id under its catalogue name."""

from datetime import UTC, datetime, timedelta

from wushe_service.auth import Role


def created(response, id_name: str) -> str:
    assert response.status_code == 201, response.text
    return response.json()[id_name]


def done(response) -> dict:
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else {}


class TestTheVolunteersContract:
    async def test_volunteers_teams_pairings_sites_and_activities(self, volunteers):
        volunteer_id = created(
            await volunteers.post(
                "/volunteers",
                json={
                    "name": "李明",
                    "phone": "13912345678",
                    "community_id": "fengshan",
                    "skills": ["haircut"],
                    "certification": "none",
                },
            ),
            "volunteer_id",
        )
        team_id = created(
            await volunteers.post(
                "/teams", json={"kind": "volunteer_team", "name": "阳明青年志愿队"}
            ),
            "team_id",
        )
        done(
            await volunteers.post(f"/teams/{team_id}/members", json={"volunteer_id": volunteer_id})
        )
        university = created(
            await volunteers.post("/teams", json={"kind": "university", "name": "宁波大学社工系"}),
            "team_id",
        )
        social_org = created(
            await volunteers.post("/teams", json={"kind": "social_org", "name": "阳光社工服务社"}),
            "team_id",
        )
        created(
            await volunteers.post(
                "/pairings",
                json={
                    "university_team_id": university,
                    "social_org_team_id": social_org,
                    "community_id": "fengshan",
                },
            ),
            "pairing_id",
        )
        created(
            await volunteers.post(
                "/sites",
                json={
                    "kind": "social_work_station",
                    "name": "凤山街道社工站",
                    "community_id": "fengshan",
                },
            ),
            "site_id",
        )
        starts = datetime.now(UTC) + timedelta(days=3)
        activity_id = created(
            await volunteers.post(
                "/activities",
                json={
                    "team_id": team_id,
                    "community_id": "fengshan",
                    "title": "理发进社区",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(hours=2)).isoformat(),
                    "capacity": 10,
                    "need_categories": ["haircut"],
                },
            ),
            "activity_id",
        )
        done(
            await volunteers.post(
                f"/activities/{activity_id}/signups", json={"volunteer_id": volunteer_id}
            )
        )

    async def test_attendance_verified_hours_and_the_certificate(
        self, volunteers, volunteer, team, signed_up, token_for
    ):
        team_id, coordinator = await team()
        volunteer_id = await volunteer()
        starts = datetime.now(UTC) - timedelta(hours=4)
        activity_id = await signed_up(team_id, volunteer_id, starts, hours=3)
        record_id = created(
            await volunteers.post(
                f"/activities/{activity_id}/attendance",
                json={
                    "volunteer_id": volunteer_id,
                    "checked_in_at": starts.isoformat(),
                    "checked_out_at": (starts + timedelta(hours=3)).isoformat(),
                },
            ),
            "record_id",
        )
        # No body: the coordinator's token verifies as the person it names.
        as_coordinator = await token_for(Role.coordinator, person=coordinator)
        verified = done(await volunteers.post(f"/hours/{record_id}/verify", headers=as_coordinator))
        assert verified["state"] == "verified"
        # The certificate shows the latest issued (README, certificates): issue one first.
        created(await volunteers.post(f"/volunteers/{volunteer_id}/certificates"), "certificate_id")
        certificate = done(await volunteers.get(f"/volunteers/{volunteer_id}/certificate"))
        assert certificate["volunteer"]["volunteer_id"] == volunteer_id

"""An activity's title is public: it may not name a volunteer of the office, found through the
blind index of names, over HTTP against the real PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from wushe_service import testing


async def _events(database_url) -> int:
    [(count,)] = await testing.sql(database_url)("SELECT count(*) FROM volunteers.events")
    return count


def an_activity(team_id: str, title: str) -> dict:
    starts = datetime.now(UTC) + timedelta(days=3)
    return {
        "team_id": team_id,
        "community_id": "fengshan",
        "title": title,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }


class TestActivityTitles:
    @pytest.mark.parametrize("title", ["跟欧阳明月一起理发", "欧阳 明月·义剪", "欧阳明月"])
    async def test_a_title_naming_a_volunteer_is_a_422_on_title_and_changes_nothing(
        self, volunteers, volunteer, team, database_url, capfd, title
    ):
        team_id, _ = await team()
        await volunteer(name="欧阳明月")
        before = await _events(database_url)

        refused = await volunteers.post("/activities", json=an_activity(team_id, title))

        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "title"
        assert "must not name a volunteer" in error["message"]
        assert "明月" not in refused.text
        assert await _events(database_url) == before
        assert "明月" not in "".join(capfd.readouterr())

    async def test_a_title_naming_nobody_registered_is_scheduled(self, volunteers, volunteer, team):
        team_id, _ = await team()
        await volunteer(name="欧阳明月")
        scheduled = await volunteers.post("/activities", json=an_activity(team_id, "明月社区义剪"))
        assert scheduled.status_code == 201, scheduled.text

    @pytest.mark.parametrize("title", ["为张姓独居老人上门理发", "给尾号２３４５的阿婆送餐"])
    async def test_a_title_pointing_at_someone_by_surname_or_phone_tail_is_a_422(
        self, volunteers, team, database_url, title
    ):
        team_id, _ = await team()
        before = await _events(database_url)
        refused = await volunteers.post("/activities", json=an_activity(team_id, title))
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "title"
        assert "by surname" in error["message"]
        assert await _events(database_url) == before
        fine = await volunteers.post("/activities", json=an_activity(team_id, "为老百姓义剪"))
        assert fine.status_code == 201, fine.text

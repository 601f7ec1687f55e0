"""The public activities board as a page and in office time; the office's own name on it and
on certificates."""

from uuid import UUID

import pytest

from wushe_service import testing
from wushe_service.personal_data import new_office_key
from wushe_volunteers.main import create_app
from wushe_volunteers.settings import VolunteersSettings

from .conftest import COMMUNITIES, VAULTS, known_communities
from .test_hours import attended, pending_of

OFFICE_NAME = "余姚市社会工作服务指导中心"


@pytest.fixture
async def volunteers(database_url, nats_url, office):
    """The service of an office that has configured its name (WUSHE_OFFICE_NAME)."""
    settings = testing.settings_for(
        VolunteersSettings,
        database_url,
        nats_url,
        office,
        office_key=new_office_key(),
        office_name=OFFICE_NAME,
        timezone="Asia/Shanghai",
    )
    async with testing.serving(create_app(settings)) as client:
        await known_communities(client.app.state.runtime.store, *COMMUNITIES)
        VAULTS[client.app.state.runtime.store] = client.app.state.vault
        yield client


async def _scheduled(volunteers, team_id: str, **changes) -> str:
    site = await volunteers.post(
        "/sites",
        json={"kind": "volunteer_station", "name": "凤山志愿服务站", "community_id": "fengshan"},
    )
    assert site.status_code == 201, site.text
    body = {
        "team_id": team_id,
        "community_id": "fengshan",
        "site_id": site.json()["site_id"],
        "title": "重阳节义剪",
        # 09:00–11:30 on Monday 7 January 2030 in Yuyao: 01:00–03:30 UTC.
        "starts_at": "2030-01-07T01:00:00Z",
        "ends_at": "2030-01-07T03:30:00Z",
        "capacity": 3,
        "need_categories": ["理发"],
    } | changes
    created = await volunteers.post("/activities", json=body)
    assert created.status_code == 201, created.text
    return created.json()["activity_id"]


class TestTheBoardPage:
    async def test_the_public_reads_the_activities_as_a_page_in_office_time(
        self, volunteers, volunteer, team
    ):
        team_id, _ = await team()
        activity_id = await _scheduled(volunteers, team_id)
        me = await volunteer(name="赵小红")
        await volunteers.post(f"/activities/{activity_id}/signups", json={"volunteer_id": me})

        public = {"Authorization": ""}
        by_query = await volunteers.get("/public/activities?format=html", headers=public)
        by_browser = await volunteers.get(
            "/public/activities", headers=public | {"Accept": "text/html,*/*;q=0.8"}
        )
        for page in (by_query, by_browser):
            assert page.status_code == 200, page.text
            assert page.headers["content-type"].startswith("text/html")
            text = page.text
            assert "志愿服务活动公告" in text
            assert OFFICE_NAME in text
            assert "重阳节义剪" in text
            assert "阳明青年志愿队" in text
            assert "fengshan 社区 · 凤山志愿服务站" in text
            assert "2030年1月7日（周一）09:00–11:30" in text
            assert "01:00" not in text  # not UTC
            assert "尚余 2 个名额（共 3 个）" in text
            assert "理发" in text
            assert "赵小红" not in text  # who signed up is nobody's business here
        assert "format=json" in by_query.text

    async def test_the_json_gives_office_time_beside_utc(self, volunteers, team):
        team_id, _ = await team()
        await _scheduled(volunteers, team_id)
        [item] = (await volunteers.get("/public/activities")).json()["items"]
        assert item["starts_at"].startswith("2030-01-07T01:00:00")  # unchanged, UTC
        assert item["starts_at_local"] == "2030-01-07T09:00:00+08:00"
        assert item["ends_at_local"] == "2030-01-07T11:30:00+08:00"
        assert item["community_name"] == "fengshan 社区"
        assert item["need_category_labels"] == ["理发"]
        [listed] = (await volunteers.get("/activities")).json()["items"]
        assert listed["starts_at_local"] == "2030-01-07T09:00:00+08:00"

    async def test_sign_ups_read_in_office_time_too(self, volunteers, volunteer, team):
        team_id, _ = await team()
        activity_id = await _scheduled(volunteers, team_id)
        me = await volunteer()
        await volunteers.post(f"/activities/{activity_id}/signups", json={"volunteer_id": me})
        [mine] = (await volunteers.get(f"/volunteers/{me}/signups")).json()["items"]
        assert mine["starts_at_local"] == "2030-01-07T09:00:00+08:00"
        assert mine["signed_up_at_local"].endswith("+08:00")
        assert mine["checked_in_at_local"] is None  # not yet
        [row] = (await volunteers.get(f"/activities/{activity_id}/signups")).json()
        assert row["signed_up_at_local"].endswith("+08:00")

    async def test_a_full_activity_says_so_and_an_empty_board_too(
        self, volunteers, volunteer, team
    ):
        empty = await volunteers.get("/public/activities?format=html")
        assert "暂无待开展的活动" in empty.text
        team_id, _ = await team()
        activity_id = await _scheduled(volunteers, team_id, capacity=1)
        me = await volunteer()
        await volunteers.post(f"/activities/{activity_id}/signups", json={"volunteer_id": me})
        assert "名额已满" in (await volunteers.get("/public/activities?format=html")).text

    async def test_a_title_is_escaped_on_the_page(self, volunteers, team):
        team_id, _ = await team()
        await _scheduled(volunteers, team_id, title="<b>义剪</b>")
        text = (await volunteers.get("/public/activities?format=html")).text
        assert "<b>义剪</b>" not in text
        assert "&lt;b&gt;义剪&lt;/b&gt;" in text


class TestTheOfficeName:
    async def test_certificates_are_issued_in_the_offices_name(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()
        await attended(runtime, UUID(team_id), UUID(who), 2)
        for record in await pending_of(volunteers, who):
            await volunteers.post(
                f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
            )
        code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]
        assert (await volunteers.get(f"/volunteers/{who}/certificate")).json()[
            "issuer"
        ] == OFFICE_NAME
        assert (
            f"出具单位：{OFFICE_NAME}"
            in (await volunteers.get(f"/volunteers/{who}/certificate?format=html")).text
        )
        assert (await volunteers.get(f"/certificates/{code}")).json()["issuer"] == OFFICE_NAME


class TestTheCertificateCheck:
    async def test_a_check_names_the_volunteer_no_more_than_the_paper_does_in_chinese(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer()  # 李明, no public name
        await attended(runtime, UUID(team_id), UUID(who), 2)
        for record in await pending_of(volunteers, who):
            await volunteers.post(
                f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
            )
        code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]
        public = {"Authorization": ""}

        checked = (await volunteers.get(f"/certificates/{code}", headers=public)).json()
        assert checked["volunteer"] == "李*"
        page = (await volunteers.get(f"/certificates/{code}?format=html", headers=public)).text
        assert "<td>李*</td>" in page
        assert '<p class="state ok">有效</p>' in page
        assert "valid" not in page
        viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
        assert viewport in page
        printable = await volunteers.get(f"/volunteers/{who}/certificate?format=html")
        assert viewport in printable.text

        wrong = await volunteers.get("/certificates/NOSUCHCODE?format=html", headers=public)
        assert wrong.status_code == 404
        assert "证明</code>：没有“NOSUCHCODE”" in wrong.text
        assert "certificate" not in wrong.text
        assert "查看全部" not in wrong.text  # a certificate is not a list


class TestSettings:
    def test_the_issuer_falls_back_to_the_office_name_then_to_the_platform(self):
        base = {"office": "yuyao"}
        assert VolunteersSettings(**base).issuer() == "五社联动志愿服务平台（机构编号 yuyao）"
        named = VolunteersSettings(**base, office_name=OFFICE_NAME)
        assert named.issuer() == named.display_name() == OFFICE_NAME
        both = VolunteersSettings(
            **base, office_name=OFFICE_NAME, certificate_issuer="余姚市民政局"
        )
        assert (both.issuer(), both.display_name()) == ("余姚市民政局", OFFICE_NAME)
        assert VolunteersSettings(**base, office_name="  ").display_name().endswith("yuyao）")

    def test_an_office_name_on_several_lines_is_refused(self):
        with pytest.raises(ValueError, match="office_name"):
            VolunteersSettings(office="yuyao", office_name="余姚\n中心")


class TestTheDocuments:
    async def test_the_openapi_document_names_the_new_routes_and_fields(self, volunteers):
        document = (await volunteers.get("/openapi.json")).json()
        backfill = document["paths"]["/activities/{activity_id}/attendance/backfill"]["post"]
        assert "补录" in backfill["summary"]
        public = document["paths"]["/public/activities"]["get"]
        assert {p["name"] for p in public["parameters"]} >= {"need_category", "format"}
        assert "skill_labels" in document["components"]["schemas"]["VolunteerView"]["properties"]

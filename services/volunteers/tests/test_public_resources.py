"""The public resources list (资源清单公示): what each community can draw on — sites, teams and
organisations, pairings, volunteers and social workers counted, activities to come — for anyone
to read without a login, as JSON or a page; never a volunteer one by one — against the real
PostgreSQL and NATS."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from wushe_service import communities, testing
from wushe_service.personal_data import new_office_key
from wushe_volunteers.commands import activities as commands
from wushe_volunteers.domain.team import ADMIN
from wushe_volunteers.main import create_app
from wushe_volunteers.settings import VolunteersSettings

from .conftest import COMMUNITIES, VAULTS, VOLUNTEER, known_communities

OFFICE_NAME = "余姚市社会工作服务指导中心"
PUBLIC = {"Authorization": ""}
BROWSER = {"Authorization": "", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

# The people of the scripted office: none of this may reach the list.
PEOPLE = [
    VOLUNTEER | {"display_name": "李志愿者", "show_name_publicly": True},
    VOLUNTEER
    | {
        "name": "张华",
        "phone": "13911110002",
        "skills": ["理发", "助老"],
        "certification": "intermediate",
        "certificate_number": "ZS2024-0002",
    },
    VOLUNTEER
    | {
        "name": "陈静",
        "phone": "13911110003",
        "skills": ["tutoring"],
        "certification": "none",
        "certificate_number": None,
    },
    # Suspended, then withdrawn: neither counts.
    VOLUNTEER
    | {
        "name": "周强",
        "phone": "13911110004",
        "certification": "senior",
        "certificate_number": "ZS2024-0004",
    },
    VOLUNTEER
    | {
        "name": "吴刚",
        "phone": "13911110005",
        "skills": ["driving"],
        "certification": "intermediate",
        "certificate_number": "ZS2024-0005",
    },
    VOLUNTEER
    | {
        "name": "钱芳",
        "phone": "13911110006",
        "community_id": "xishan",
        "skills": ["elderly-care"],
        "certificate_number": "ZS2024-0006",
    },
]


@pytest.fixture
async def volunteers(database_url, nats_url, office):
    """The service of an office that has configured its name, with three communities: 凤山社区
    and 兰江<b>社区</b> (阳明街道), 西山社区 (兰江街道)."""
    settings = testing.settings_for(
        VolunteersSettings,
        database_url,
        nats_url,
        office,
        office_key=new_office_key(),
        office_name=OFFICE_NAME,
    )
    async with testing.serving(create_app(settings)) as client:
        store = client.app.state.runtime.store
        await known_communities(store, *COMMUNITIES)
        VAULTS[store] = client.app.state.vault
        async with store.connection() as db:
            now = datetime.now(UTC)
            await communities.upsert(db, "fengshan", "凤山社区", "阳明街道", 2, now)
            await communities.upsert(db, "lanjiang", "兰江<b>社区</b>", "阳明街道", 2, now)
            await communities.upsert(db, "xishan", "西山社区", "兰江街道", 1, now)
        yield client


async def _posted(client, path: str, body: dict) -> dict:
    response = await client.post(path, json=body)
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.content else {}


async def _team(client, kind: str, name: str) -> str:
    return (await _posted(client, "/teams", {"kind": kind, "name": name}))["team_id"]


async def _activity(client, team_id: str, community_id: str, days: int) -> str:
    starts = datetime.now(UTC) + timedelta(days=days)
    body = {
        "team_id": team_id,
        "community_id": community_id,
        "title": "理发进社区",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    return (await _posted(client, "/activities", body))["activity_id"]


async def _held(client, team_id: str, community_id: str, days_ago: int) -> None:
    """An activity of the team `days_ago` days ago, scheduled the day before."""
    store = client.app.state.runtime.store
    starts = datetime.now(UTC) - timedelta(days=days_ago)
    command = commands.ScheduleActivity(
        team_id=team_id,
        community_id=community_id,
        title="助老服务",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=5,
    )
    await commands.schedule(store, VAULTS[store], command, starts - timedelta(days=1), caller=ADMIN)


@pytest.fixture
def scripted(volunteers):
    """凤山社区: two sites, a volunteer team with an activity to come (and another whose only
    activity there was cancelled), a university and a social organisation paired there, a party
    organisation that served there over a year ago, three active volunteers, one suspended and
    one withdrawn; 西山社区: a site, an enterprise's team that served there 100 days ago, one
    volunteer; 兰江<b>社区</b>: nothing. The ids of the volunteers."""

    async def script() -> list[str]:
        await _posted(
            volunteers,
            "/sites",
            {"kind": "volunteer_station", "name": "凤山志愿服务站", "community_id": "fengshan"},
        )
        await _posted(
            volunteers,
            "/sites",
            {"kind": "social_work_station", "name": "凤山社工站", "community_id": "fengshan"},
        )
        await _posted(
            volunteers,
            "/sites",
            {"kind": "party_service_center", "name": "西山党群服务中心", "community_id": "xishan"},
        )
        youth = await _team(volunteers, "volunteer_team", "阳明青年志愿队")
        await _activity(volunteers, youth, "fengshan", days=3)
        called_off = await _team(volunteers, "volunteer_team", "停办志愿队")
        cancelled = await _activity(volunteers, called_off, "fengshan", days=5)
        await _posted(volunteers, f"/activities/{cancelled}/cancel", {"reason": "weather"})
        university = await _team(volunteers, "university", "宁波大学社工系")
        social_org = await _team(volunteers, "social_org", "余姚善行社工服务社")
        pairing = {
            "university_team_id": university,
            "social_org_team_id": social_org,
            "community_id": "fengshan",
        }
        await _posted(volunteers, "/pairings", pairing)
        long_ago = await _team(volunteers, "party_org", "旧城党支部")
        await _held(volunteers, long_ago, "fengshan", days_ago=400)
        enterprise = await _team(volunteers, "enterprise", "舜水企业志愿队")
        await _held(volunteers, enterprise, "xishan", days_ago=100)
        ids = [(await _posted(volunteers, "/volunteers", p))["volunteer_id"] for p in PEOPLE]
        await _posted(volunteers, f"/volunteers/{ids[3]}/suspend", {})
        await _posted(volunteers, f"/volunteers/{ids[4]}/withdraw", {})
        return ids

    return script


def _by_name(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda i: i["name"])


FENGSHAN_SITES = [
    {"name": "凤山志愿服务站", "kind": "volunteer_station", "kind_label": "志愿服务站"},
    {"name": "凤山社工站", "kind": "social_work_station", "kind_label": "社工站"},
]
FENGSHAN_TEAMS = [
    {"name": "阳明青年志愿队", "kind": "volunteer_team", "kind_label": "志愿服务队"},
    {"name": "宁波大学社工系", "kind": "university", "kind_label": "高校"},
    {"name": "余姚善行社工服务社", "kind": "social_org", "kind_label": "社会组织"},
]


def _levels(assistant: int, intermediate: int, senior: int) -> list[dict]:
    return [
        {"level": "assistant", "level_label": "助理社会工作师", "volunteers": assistant},
        {"level": "intermediate", "level_label": "社会工作师", "volunteers": intermediate},
        {"level": "senior", "level_label": "高级社会工作师", "volunteers": senior},
    ]


class TestTheList:
    async def test_each_community_lists_what_it_can_draw_on(self, volunteers, scripted):
        await scripted()
        response = await volunteers.get("/public/resources", headers=PUBLIC)
        assert response.status_code == 200, response.text
        listed = response.json()
        assert [c["community_id"] for c in listed["items"]] == ["xishan", "lanjiang", "fengshan"]
        xishan, lanjiang, fengshan = listed["items"]

        assert (fengshan["community_name"], fengshan["street"]) == ("凤山社区", "阳明街道")
        assert _by_name(fengshan["sites"]) == _by_name(FENGSHAN_SITES)
        assert _by_name(fengshan["teams"]) == _by_name(FENGSHAN_TEAMS)
        assert fengshan["pairings"] == [
            {"university": "宁波大学社工系", "social_org": "余姚善行社工服务社"}
        ]
        assert fengshan["volunteers"] == {
            "active": 3,
            "by_skill": [
                {"skill": "haircut", "skill_label": "理发", "volunteers": 2},
                {"skill": "elderly-care", "skill_label": "助老", "volunteers": 1},
                {"skill": "tutoring", "skill_label": "学业辅导", "volunteers": 1},
            ],
            "social_workers": 2,
            "social_workers_by_level": _levels(1, 1, 0),
        }
        assert fengshan["activities_to_come"] == 1

        assert xishan["sites"] == [
            {
                "name": "西山党群服务中心",
                "kind": "party_service_center",
                "kind_label": "党群服务中心",
            }
        ]
        assert xishan["teams"] == [
            {"name": "舜水企业志愿队", "kind": "enterprise", "kind_label": "企业"}
        ]
        assert xishan["pairings"] == []
        assert xishan["volunteers"]["active"] == 1
        assert xishan["volunteers"]["social_workers_by_level"] == _levels(1, 0, 0)
        assert xishan["activities_to_come"] == 0

        assert lanjiang["community_name"] == "兰江<b>社区</b>"
        assert (lanjiang["sites"], lanjiang["teams"], lanjiang["pairings"]) == ([], [], [])
        assert lanjiang["volunteers"]["active"] == 0
        assert lanjiang["volunteers"]["social_workers"] == 0

    async def test_totals_cover_every_community_selected(self, volunteers, scripted):
        await scripted()
        totals = (await volunteers.get("/public/resources", headers=PUBLIC)).json()["totals"]
        assert totals["communities"] == 3
        assert totals["sites"] == 3
        assert totals["sites_by_kind"] == [
            {"kind": "party_service_center", "kind_label": "党群服务中心", "count": 1},
            {"kind": "social_work_station", "kind_label": "社工站", "count": 1},
            {"kind": "volunteer_station", "kind_label": "志愿服务站", "count": 1},
        ]
        assert totals["teams"] == 4
        assert [k["kind"] for k in totals["teams_by_kind"]] == [
            "enterprise",
            "social_org",
            "university",
            "volunteer_team",
        ]
        assert totals["pairings"] == 1
        assert totals["volunteers"] == {
            "active": 4,
            "by_skill": [
                {"skill": "elderly-care", "skill_label": "助老", "volunteers": 2},
                {"skill": "haircut", "skill_label": "理发", "volunteers": 2},
                {"skill": "tutoring", "skill_label": "学业辅导", "volunteers": 1},
            ],
            "social_workers": 3,
            "social_workers_by_level": _levels(2, 1, 0),
        }
        assert totals["activities_to_come"] == 1

    async def test_a_team_serving_in_two_communities_is_counted_once_in_the_totals(
        self, volunteers
    ):
        team = await _team(volunteers, "volunteer_team", "阳明青年志愿队")
        await _activity(volunteers, team, "fengshan", days=3)
        await _activity(volunteers, team, "xishan", days=4)
        listed = (await volunteers.get("/public/resources", headers=PUBLIC)).json()
        assert [len(c["teams"]) for c in listed["items"]] == [1, 0, 1]
        assert listed["totals"]["teams"] == 1
        assert listed["totals"]["activities_to_come"] == 2


class TestFilters:
    async def test_by_street(self, volunteers, scripted):
        await scripted()
        listed = (await volunteers.get("/public/resources?street=兰江街道", headers=PUBLIC)).json()
        assert [c["community_id"] for c in listed["items"]] == ["xishan"]
        assert listed["totals"]["communities"] == 1
        assert listed["totals"]["volunteers"]["active"] == 1
        assert listed["totals"]["teams"] == 1
        assert listed["street"] == "兰江街道"

    async def test_by_community(self, volunteers, scripted):
        await scripted()
        listed = (
            await volunteers.get("/public/resources?community_id=fengshan", headers=PUBLIC)
        ).json()
        [fengshan] = listed["items"]
        assert fengshan["community_id"] == "fengshan"
        assert listed["totals"]["communities"] == 1
        assert listed["totals"]["volunteers"] == fengshan["volunteers"]
        assert listed["totals"]["teams"] == 3

    async def test_communities_are_paged_and_totals_cover_them_all(self, volunteers, scripted):
        await scripted()
        first = (await volunteers.get("/public/resources?limit=2", headers=PUBLIC)).json()
        rest = (
            await volunteers.get(
                f"/public/resources?limit=2&cursor={first['next_cursor']}", headers=PUBLIC
            )
        ).json()
        assert [c["community_id"] for c in first["items"] + rest["items"]] == [
            "xishan",
            "lanjiang",
            "fengshan",
        ]
        assert rest["next_cursor"] is None
        assert first["totals"] == rest["totals"]

    async def test_an_unknown_community_is_a_404_naming_it(self, volunteers):
        response = await volunteers.get("/public/resources?community_id=nosuch", headers=PUBLIC)
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == "no community nosuch"
        page = await volunteers.get("/public/resources?community_id=nosuch", headers=BROWSER)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "nosuch" in page.text
        assert "找不到要查看的内容" in page.text
        assert '<html lang="zh-CN">' in page.text


class TestNothingPersonal:
    @pytest.mark.parametrize(
        "query",
        ["", "?format=html", "?community_id=fengshan", "?community_id=fengshan&format=html"],
    )
    async def test_no_name_phone_certificate_or_id_of_a_volunteer_is_shown(
        self, volunteers, scripted, query
    ):
        ids = await scripted()
        response = await volunteers.get(f"/public/resources{query}", headers=PUBLIC)
        assert response.status_code == 200, response.text
        for person in PEOPLE:
            for field in ("name", "phone", "certificate_number", "display_name"):
                if person.get(field):
                    assert person[field] not in response.text
        for volunteer_id in ids:
            assert volunteer_id not in response.text


class TestNoLogin:
    async def test_a_client_with_no_token_at_all_reads_the_list_and_its_page(
        self, volunteers, scripted
    ):
        await scripted()
        transport = httpx.ASGITransport(app=volunteers.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anyone:
            listed = await anyone.get("/public/resources")
            page = await anyone.get("/public/resources?format=html")
            refused = await anyone.get("/volunteers")
        assert listed.status_code == 200, listed.text
        assert listed.json()["totals"]["volunteers"]["active"] == 4
        assert page.status_code == 200, page.text
        assert refused.status_code == 401  # the register itself is not public


class TestPage:
    async def test_a_browser_gets_a_printable_page_in_chinese(self, volunteers, scripted):
        await scripted()
        by_browser = await volunteers.get("/public/resources", headers=BROWSER)
        by_query = await volunteers.get("/public/resources?format=html", headers=PUBLIC)
        for page in (by_browser, by_query):
            assert page.status_code == 200, page.text
            assert page.headers["content-type"].startswith("text/html")
            text = page.text
            assert '<html lang="zh-CN">' in text
            assert "<h1>资源清单</h1>" in text
            assert OFFICE_NAME in text
            assert "3 个社区 · 服务阵地 3 处" in text
            assert "凤山志愿服务站（志愿服务站）" in text
            assert "宁波大学社工系 · 余姚善行社工服务社" in text
            assert "舜水企业志愿队（企业）" in text
            assert "理发 2" in text
            assert "社会工作师 1" in text
            assert "旧城党支部" not in text
            assert "停办志愿队" not in text
            assert '<a href="/public/activities?format=html">' in text
            assert "/public/activities?community_id=fengshan&amp;format=html" in text
            assert "/public/resources?limit=50&amp;format=json" in text

    async def test_a_communitys_page_points_to_its_own_activities(self, volunteers, scripted):
        await scripted()
        text = (await volunteers.get("/public/resources?community_id=xishan&format=html")).text
        assert "西山党群服务中心（党群服务中心）" in text
        assert "志愿者 1 名" in text
        assert text.count("/public/activities?community_id=xishan&amp;format=html") == 2
        assert "/public/activities?format=html" not in text

    async def test_the_openapi_document_names_the_route_and_its_filters(self, volunteers):
        document = (await volunteers.get("/openapi.json")).json()
        route = document["paths"]["/public/resources"]["get"]
        assert "资源清单" in route["summary"]
        assert "public" in route["tags"]
        assert {p["name"] for p in route["parameters"]} >= {"community_id", "street", "format"}

    async def test_every_value_is_escaped(self, volunteers, scripted):
        await scripted()
        text = (await volunteers.get("/public/resources?format=html", headers=PUBLIC)).text
        assert "兰江<b>社区</b>" not in text
        assert "兰江&lt;b&gt;社区&lt;/b&gt;" in text

    async def test_the_filters_are_kept_in_the_links(self, volunteers, scripted):
        await scripted()
        text = (await volunteers.get("/public/resources?street=兰江街道&limit=1&format=html")).text
        assert "西山社区" in text
        assert "凤山社区" not in text
        assert "/public/resources?street=%E5%85%B0%E6%B1%9F%E8%A1%97%E9%81%93&amp;limit=1" in text

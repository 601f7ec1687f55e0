"""The public needs list (需求清单公示): each community's open needs counted, for anyone to read
without a login, as JSON or a page for the notice board; never a need, a resident or a note one
by one — against the real PostgreSQL and NATS."""

from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from wushe_events.catalogue.funds import ApplicationApproved, ApplicationSubmitted
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.personal_data import new_office_key

from .conftest import PHONE, PLACES, RESIDENT

PUBLIC = {"Authorization": ""}
BROWSER = {"Authorization": "", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
OTHER = {
    "name": "李建国",
    "birth_year": 1952,
    "id_number": "11010519520315003X",
    "phone": "13900001111",
    "address": "丰山社区5幢101",
    "notes": "子女在外地",
}

XIN = {"name": "赵桂兰", "birth_year": 1960, "id_number": None, "phone": "13700002222"}


def shanghai_day(need: dict) -> str:
    moment = datetime.fromisoformat(need["identified_at"])
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


@pytest.fixture
def scripted(needs, community, resident, surveyed, wish_body, js, office):
    """丰山社区 (阳明街道): two residents' needs, open, matched by a wish and by a grant,
    resolved and closed; 新安社区 (兰江街道): one open need; 空山社区 (阳明街道): none."""

    async def script() -> dict:
        wang = await resident()
        li = await resident(**OTHER)
        meals, repair, company = await surveyed(
            wang,
            ("meal-delivery", "physical", "high"),
            ("repair", "material", "low"),
            ("companionship", "spiritual", "critical"),
            days_ago=10,
        )
        later_meals, goods, li_repair = await surveyed(
            li,
            ("meal-delivery", "physical", "normal"),
            ("daily-goods", "material", "normal"),
            ("repair", "material", "high"),
            days_ago=3,
        )
        wish = await needs.post("/wishes", json=wish_body(need_id=repair, community_id=None))
        assert wish.status_code == 201, wish.text
        for need_id, outcome in [(goods, "resolved"), (li_repair, "closed")]:
            ended = await needs.post(
                f"/needs/{need_id}/resolve", json={"outcome": outcome, "reason": "other"}
            )
            assert ended.status_code == 200, ended.text
        await _granted(js, office, company)
        xin = await resident(community_id="xinan", **XIN)
        await surveyed(xin, ("meal-delivery", "physical", "normal"))
        await community("kongshan", *PLACES["kongshan"])

        async def granted():
            return (await needs.get(f"/needs/{company}")).json()["match_kind"] == "grant"

        await wait_until(granted, message="the grant matched its need")
        ids = [meals, repair, company, later_meals, goods, li_repair, wang, li, xin]
        oldest = (await needs.get(f"/needs/{meals}")).json()
        return {"ids": ids, "oldest": shanghai_day(oldest), "wish": wish.json()["wish_id"]}

    return script


async def _granted(js, office, need_id):
    application_id = uuid4()
    submitted = ApplicationSubmitted(
        application_id=application_id,
        round_id=uuid4(),
        team_id=uuid4(),
        community_id="fengshan",
        title="长者陪伴",
        requested_fen=300_000,
        need_ids=[need_id],
    )
    await publish(js, envelope_of(office, submitted))
    approved = ApplicationApproved(application_id=application_id, approved_fen=300_000)
    await publish(js, envelope_of(office, approved, 2))


class TestCounts:
    async def test_each_community_counts_its_open_and_matched_needs_by_category(
        self, needs, scripted
    ):
        script = await scripted()
        response = await needs.get("/public/needs", headers=PUBLIC)
        assert response.status_code == 200, response.text
        listed = response.json()
        assert [c["community_id"] for c in listed["items"]] == ["xinan", "fengshan"]
        fengshan = listed["items"][1]
        assert (fengshan["community_name"], fengshan["street"]) == ("丰山社区", "阳明街道")
        assert fengshan["categories"] == [
            {
                "category": "meal-delivery",
                "category_label": "送餐",
                "total": 2,
                "open": 2,
                "matched": 0,
                "matched_by_kind": {"wish": 0, "activity": 0, "grant": 0},
                "by_urgency": {"critical": 0, "high": 1, "normal": 1, "low": 0},
                "oldest_open_since": script["oldest"],
            },
            {
                "category": "companionship",
                "category_label": "陪伴",
                "total": 1,
                "open": 0,
                "matched": 1,
                "matched_by_kind": {"wish": 0, "activity": 0, "grant": 1},
                "by_urgency": {"critical": 1, "high": 0, "normal": 0, "low": 0},
                "oldest_open_since": None,
            },
            {
                "category": "repair",
                "category_label": "维修",
                "total": 1,
                "open": 0,
                "matched": 1,
                "matched_by_kind": {"wish": 1, "activity": 0, "grant": 0},
                "by_urgency": {"critical": 0, "high": 0, "normal": 0, "low": 1},
                "oldest_open_since": None,
            },
        ]
        assert fengshan["totals"] == {
            "total": 4,
            "open": 2,
            "matched": 2,
            "matched_by_kind": {"wish": 1, "activity": 0, "grant": 1},
            "by_urgency": {"critical": 1, "high": 1, "normal": 1, "low": 1},
            "oldest_open_since": script["oldest"],
        }
        assert listed["totals"]["total"] == 5
        assert listed["totals"]["open"] == 3
        assert listed["totals"]["communities"] == 2

    async def test_a_community_with_nothing_open_is_listed_with_zeros_only_when_asked_for(
        self, needs, scripted
    ):
        await scripted()
        street = (await needs.get("/public/needs?street=阳明街道", headers=PUBLIC)).json()
        assert [c["community_id"] for c in street["items"]] == ["fengshan"]
        assert street["totals"]["total"] == 4
        asked = (await needs.get("/public/needs?community_id=kongshan", headers=PUBLIC)).json()
        [kongshan] = asked["items"]
        assert kongshan["community_name"] == "空山社区"
        assert kongshan["categories"] == []
        assert kongshan["totals"]["total"] == 0
        assert kongshan["totals"]["oldest_open_since"] is None

    async def test_filtered_by_community_only_its_needs_count(self, needs, scripted):
        await scripted()
        listed = (await needs.get("/public/needs?community_id=xinan", headers=PUBLIC)).json()
        assert [c["community_id"] for c in listed["items"]] == ["xinan"]
        assert listed["totals"]["open"] == 1
        assert listed["totals"]["by_urgency"]["normal"] == 1

    async def test_communities_are_paged_and_totals_cover_them_all(self, needs, scripted):
        await scripted()
        first = (await needs.get("/public/needs?limit=1", headers=PUBLIC)).json()
        rest = (
            await needs.get(f"/public/needs?limit=1&cursor={first['next_cursor']}", headers=PUBLIC)
        ).json()
        assert [c["community_id"] for c in first["items"] + rest["items"]] == ["xinan", "fengshan"]
        assert rest["next_cursor"] is None
        assert first["totals"] == rest["totals"]

    async def test_an_unknown_community_is_a_404_naming_it(self, needs, community):
        await community()
        response = await needs.get("/public/needs?community_id=nosuch", headers=PUBLIC)
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == "no community nosuch"
        page = await needs.get("/public/needs?community_id=nosuch", headers=BROWSER)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "nosuch" in page.text
        assert '<a href="?format=html">查看全部</a>' in page.text  # the list, unfiltered


class TestNothingPersonal:
    @pytest.mark.parametrize("query", ["", "?format=html", "?community_id=fengshan&format=html"])
    async def test_no_name_phone_note_or_id_is_shown(self, needs, scripted, query):
        script = await scripted()
        response = await needs.get(f"/public/needs{query}", headers=PUBLIC)
        assert response.status_code == 200, response.text
        for person in (RESIDENT, OTHER, XIN):
            for field in ("name", "id_number", "phone", "address", "notes"):
                if person.get(field):
                    assert person[field] not in response.text
        for identifier in [*script["ids"], script["wish"]]:
            assert identifier not in response.text


class TestPage:
    async def test_a_browser_gets_a_printable_page_in_chinese_with_every_value_escaped(
        self, needs, scripted
    ):
        script = await scripted()
        response = await needs.get("/public/needs", headers=BROWSER)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        page = response.text
        assert '<html lang="zh-CN">' in page
        assert "<h1>需求清单</h1>" in page
        assert "新安&lt;b&gt;社区&lt;/b&gt;" in page
        assert "<b>社区" not in page
        assert "送餐" in page
        assert script["oldest"] in page
        assert "认领微心愿" in page
        assert "/public/wishes?community_id=fengshan&amp;format=html" in page
        assert '<a href="/public/needs?limit=50&amp;format=json">数据（JSON）</a>' in page

    async def test_format_json_keeps_json_for_a_browser(self, needs, community):
        await community()
        response = await needs.get("/public/needs?format=json", headers=BROWSER)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")

    async def test_a_bad_filter_on_the_page_is_a_page_in_chinese(self, needs):
        response = await needs.get("/public/needs?limit=0&format=html", headers=PUBLIC)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert "网址中的条件有误" in response.text

    async def test_on_a_phone_each_category_is_a_card_of_named_figures(
        self, tab, served, resident, surveyed
    ):
        await surveyed(await resident(), ("meal-delivery", "physical", "high"))
        async with tab(viewport=PHONE) as page:
            await page.goto(f"{served}/public/needs?format=html")
            category = page.locator("th[scope=row]", has_text="送餐")
            # The category across the card, not squeezed into a column a character wide.
            assert (await category.bounding_box())["width"] > 300
            assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            row = page.locator("tbody tr").first
            named = await row.locator("td").evaluate_all(
                "cells => cells.map(td => getComputedStyle(td, '::before').content)"
            )
            assert named == [
                f'"{n}"' for n in ("待回应", "回应中", "紧急", "较急", "一般", "不急")
            ] + ['"最早待回应需求登记于"']


@pytest.mark.parametrize("path", ["/public/needs", "/public/wishes"])
class TestOfficeName:
    """Both public pages of the needs service, the needs list and the wish board."""

    async def test_the_page_is_headed_with_the_office_name_configured(
        self, database_url, nats_url, office, path
    ):
        settings = testing.settings_for(
            NeedsSettings,
            database_url,
            nats_url,
            office,
            office_key=new_office_key(),
            office_name="余姚市社会工作服务指导中心",
        )
        async with testing.serving(create_app(settings)) as client:
            page = await client.get(path, headers=BROWSER)
        assert page.status_code == 200, page.text
        assert "余姚市社会工作服务指导中心 · " in page.text

    async def test_without_one_the_page_names_the_offices_platform(self, needs, office, path):
        page = await needs.get(path, headers=BROWSER)
        assert page.status_code == 200, page.text
        assert f"五社联动志愿服务平台（机构编号 {office}） · " in page.text

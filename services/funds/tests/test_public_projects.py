"""The public projects list (项目清单公示): each community's granted micro-venture projects,
with what was approved, paid and spent, for anyone to read without a login, as JSON or a page
for the notice board; never a reviewer or a donor — against the real PostgreSQL and NATS."""

from datetime import datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from wushe_events.catalogue.needs import NeedIdentified
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_funds import store as funds_store
from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import testing
from wushe_service.auth import Role

from .conftest import PHONE

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the offices' time zone by default

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
REVIEWER = "评审专家周明远"
DONOR = "李四海"


async def paid(funds, the_id: str, tranche: int, spent: int = 0) -> None:
    url = f"/applications/{the_id}"
    response = await funds.post(f"{url}/disbursements", json={"amount_fen": tranche})
    assert response.json()["paid"] is True, response.text
    if spent:
        expense = {"amount_fen": spent, "category": "materials", "receipt_sha256": uuid4().hex * 2}
        assert (await funds.post(f"{url}/expenses", json=expense)).status_code == 201


@pytest.fixture
async def scripted(funds, fund, grant_round, approved_grant, known_team, sql, token_for):
    """An office's grants: under way with a tranche and an expense, completed with outcomes,
    suspended, rejected and one still under review."""
    local = await grant_round(await fund(1_000_000))
    opened = await funds.post("/funds", json={"name": "全域社区慈善基金"})
    wide_fund = opened.json()["fund_id"]
    donated = await funds.post(
        f"/funds/{wide_fund}/donations",
        json={
            "amount_fen": 1_000_000,
            "donor_kind": "individual",
            "channel": "bank-transfer",
            "donor_name": DONOR,
            "publish_donor_name": True,
        },
    )
    assert donated.status_code == 201, donated.text
    wide = await grant_round(wide_fund)

    # Under way, reviewed by a named reviewer as well: a tranche paid, part of it spent.
    under_way = await approved_grant(local, amount=200_000, title="银龄互助小组", approve=False)
    reviewer = uuid4()
    as_reviewer = await token_for(Role.reviewer, REVIEWER, person=reviewer)
    review = {"reviewer_id": str(reviewer), "scores": {"need": 70, "feasibility": 60}}
    reviewed = await funds.post(
        f"/applications/{under_way}/reviews", headers=as_reviewer, json=review
    )
    assert reviewed.status_code == 201, reviewed.text
    approve = await funds.post(f"/applications/{under_way}/approve", json={"approved_fen": 200_000})
    assert approve.status_code == 200, approve.text
    await paid(funds, under_way, 80_000, spent=30_000)

    # Completed, by a social organisation, in another community: all paid, all spent.
    org = uuid4()
    await sql("INSERT INTO funds.teams VALUES ($1, 'social_org', $2)", org, "江滨<社工>服务中心")
    completed = await approved_grant(
        wide, amount=50_000, title="儿童<课堂>", team_id=str(org), community_id="jiangbin"
    )
    await paid(funds, completed, 50_000, spent=50_000)
    outcomes = {"beneficiaries": 36, "activities": 48}
    done = await funds.post(f"/applications/{completed}/complete", json=outcomes)
    assert done.status_code == 200, done.text

    # Suspended: its mid-term evaluation failed.
    suspended = await approved_grant(wide, amount=100_000, title="楼道微更新")
    await paid(funds, suspended, 40_000)
    failed = await funds.post(f"/applications/{suspended}/evaluations", json={"passed": False})
    assert failed.json()["suspended"] is True, failed.text

    rejected = await approved_grant(local, amount=10_000, title="被拒绝的申请", approve=False)
    refused = await funds.post(f"/applications/{rejected}/reject", json={})
    assert refused.status_code == 200, refused.text
    pending = await approved_grant(
        wide, amount=10_000, title="评审中的申请", approve=False, community_id="jiangbin"
    )
    return {
        "under_way": under_way,
        "completed": completed,
        "suspended": suspended,
        "rejected": rejected,
        "pending": pending,
        "reviewer": str(reviewer),
        "local_fund": (await funds.get(f"/rounds/{local}")).json()["fund_id"],
        "wide_fund": wide_fund,
        "local": local,
        "wide": wide,
    }


def titles(listed: dict) -> dict[str, list[str]]:
    return {c["community_id"]: [p["title"] for p in c["projects"]] for c in listed["items"]}


class TestThePublicProjectsList:
    async def test_each_community_lists_its_granted_projects_most_recent_first(
        self, public, scripted
    ):
        response = await public("/public/projects")
        assert response.status_code == 200, response.text
        listed = response.json()
        assert titles(listed) == {
            "fengshan": ["楼道微更新", "银龄互助小组"],
            "jiangbin": ["儿童<课堂>"],
        }
        fengshan, jiangbin = listed["items"]
        assert (fengshan["community_name"], fengshan["street"]) == ("丰山社区", "凤山街道")
        under_way = fengshan["projects"][1]
        datetime.fromisoformat(under_way.pop("approved_at"))
        datetime.fromisoformat(under_way.pop("updated_at"))
        assert under_way == {
            "application_id": scripted["under_way"],
            "title": "银龄互助小组",
            "team_name": "阳明青年志愿服务队",
            "team_kind": "volunteer_team",
            "team_kind_label": "志愿服务队",
            "round_id": scripted["local"],
            "round_name": "2026 社区微创投",
            "fund_id": scripted["local_fund"],
            "fund_name": "丰山社区慈善基金",
            "theme": "elderly-care",
            "state": "under_way",
            "state_label": "实施中",
            "approved_fen": 200_000,
            "disbursed_fen": 80_000,
            "expenses_fen": 30_000,
            "needs_answered": 0,
            "need_categories": [],
            "need_category_labels": [],
            "outcomes": None,
            "update_due": False,
            "disclosure_url": f"/public/applications/{scripted['under_way']}/disclosure",
            "ledger_url": f"/public/funds/{scripted['local_fund']}/ledger",
        }
        [completed] = jiangbin["projects"]
        assert (completed["state"], completed["state_label"]) == ("completed", "已结项")
        assert completed["outcomes"] == {"beneficiaries": 36, "activities": 48}
        assert (completed["team_name"], completed["team_kind_label"]) == (
            "江滨<社工>服务中心",
            "社会组织",
        )
        assert (completed["disbursed_fen"], completed["expenses_fen"]) == (50_000, 50_000)
        assert completed["fund_name"] == "全域社区慈善基金"
        suspended = fengshan["projects"][0]
        assert (suspended["state"], suspended["disbursed_fen"]) == ("suspended", 40_000)
        assert suspended["state_label"] == "暂停拨付（中期评估未通过）"

    async def test_totals_count_each_community_and_all_of_them(self, public, scripted):
        listed = (await public("/public/projects")).json()
        assert listed["totals"] == {
            "projects": 3,
            "by_state": {"under_way": 1, "suspended": 1, "completed": 1},
            "approved_fen": 350_000,
            "disbursed_fen": 170_000,
            "expenses_fen": 80_000,
            "update_due": 0,
            "communities": 2,
        }
        assert listed["items"][0]["totals"] == {
            "projects": 2,
            "by_state": {"under_way": 1, "suspended": 1, "completed": 0},
            "approved_fen": 300_000,
            "disbursed_fen": 120_000,
            "expenses_fen": 30_000,
            "update_due": 0,
        }

    async def test_a_running_project_three_months_without_an_update_is_marked_due(
        self, public, scripted, runtime
    ):
        """慈善组织信息公开办法 art. 17: disclosed at least every three months while it runs;
        a completed project is due nothing, however old."""
        async with runtime.store.connection() as db:
            await db.execute(
                "UPDATE projects SET updated_at = now() - interval '91 days' "
                "WHERE application_id = ANY($1::uuid[])",
                [UUID(scripted["under_way"]), UUID(scripted["completed"])],
            )
        listed = (await public("/public/projects")).json()
        due = {p["application_id"]: p["update_due"] for c in listed["items"] for p in c["projects"]}
        assert due == {
            scripted["under_way"]: True,
            scripted["suspended"]: False,
            scripted["completed"]: False,
        }
        assert (listed["totals"]["update_due"], listed["items"][0]["totals"]["update_due"]) == (
            1,
            1,
        )
        page = (await public("/public/projects?format=html")).text
        assert page.count("逾三个月未更新") == 2  # the headline and the project's row
        assert "1 个实施中的项目逾三个月未更新" in page

    async def test_the_figures_are_those_of_each_grants_disclosure(self, public, scripted):
        listed = (await public("/public/projects")).json()
        for project in [p for c in listed["items"] for p in c["projects"]]:
            disclosed = (await public(project["disclosure_url"])).json()
            amounts = disclosed["amounts"]
            assert (project["approved_fen"], project["disbursed_fen"]) == (
                amounts["approved_fen"],
                amounts["disbursed_fen"],
            )
            assert project["expenses_fen"] == disclosed["expenses_fen"]
            assert project["outcomes"] == disclosed["outcomes"]
            assert project["updated_at"] == disclosed["updated_at"]

    async def test_applications_not_granted_are_not_listed(self, public, scripted):
        text = (await public("/public/projects")).text
        assert scripted["rejected"] not in text
        assert scripted["pending"] not in text
        assert "评审中的申请" not in text

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("community_id=jiangbin", {"jiangbin": ["儿童<课堂>"]}),
            ("street=凤山街道", {"fengshan": ["楼道微更新", "银龄互助小组"]}),
            ("state=suspended", {"fengshan": ["楼道微更新"]}),
            ("state=completed&street=凤山街道", {}),
            ("community_id=fengshan&state=completed", {"fengshan": []}),
            ("community_id=jiangbin&street=凤山街道", {}),  # not on that street
        ],
    )
    async def test_filters_select_communities_and_projects(self, public, scripted, query, expected):
        listed = (await public(f"/public/projects?{query}")).json()
        assert titles(listed) == expected
        assert listed["totals"]["projects"] == sum(len(t) for t in expected.values())
        assert listed["totals"]["communities"] == len(expected)

    async def test_an_unknown_state_is_a_422(self, public):
        assert (await public("/public/projects?state=submitted")).status_code == 422

    async def test_communities_are_paged_and_totals_cover_them_all(self, public, scripted):
        first = (await public("/public/projects?limit=1")).json()
        assert (titles(first), first["totals"]["projects"]) == (
            {"fengshan": ["楼道微更新", "银龄互助小组"]},
            3,
        )
        second = (await public(f"/public/projects?limit=1&cursor={first['next_cursor']}")).json()
        assert (titles(second), second["next_cursor"]) == ({"jiangbin": ["儿童<课堂>"]}, None)

    async def test_an_unknown_community_is_a_404_naming_it(self, funds, public):
        response = await public("/public/projects?community_id=fengsan")
        assert response.status_code == 404, response.text
        assert "fengsan" in response.text
        request = funds.build_request("GET", "/public/projects?community_id=fengsan")
        del request.headers["Authorization"]
        request.headers.update(BROWSER)
        page = await funds.send(request)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")

    @pytest.mark.parametrize("query", ["", "?format=html"])
    async def test_no_reviewer_score_or_donor_is_shown(self, public, scripted, query):
        text = (await public(f"/public/projects{query}")).text
        for secret in (REVIEWER, scripted["reviewer"], DONOR, "mean_score", "score"):
            assert secret not in text


class TestTheNeedsAProjectAnswers:
    async def test_are_named_by_category_from_the_needs_services_events(
        self, public, fund, grant_round, approved_grant, js, office
    ):
        meals, company, again, unheard = uuid4(), uuid4(), uuid4(), uuid4()
        kinds = [(meals, "meal-delivery"), (company, "companionship"), (again, "meal-delivery")]
        for need_id, category in kinds:
            need = NeedIdentified(
                need_id=need_id,
                community_id="fengshan",
                resident_id=uuid4(),
                survey_id=uuid4(),
                category=category,
                dimension="physical",
                urgency="high",
            )
            await publish(js, envelope_of(office, need))
        needs = tuple(str(n) for n in (meals, company, again, unheard))
        await approved_grant(await grant_round(await fund()), need_ids=needs)

        async def named():
            [item] = (await public("/public/projects")).json()["items"]
            [project] = item["projects"]
            return project if len(project["need_categories"]) == 2 else None

        project = await wait_until(named, message="the needs' categories replicated")
        assert (project["needs_answered"], project["need_categories"]) == (
            4,
            ["meal-delivery", "companionship"],
        )
        assert project["need_category_labels"] == ["送餐", "陪伴"]
        page = (await public("/public/projects?format=html")).text
        assert "回应需求 4 项（送餐、陪伴）" in page


class TestThePage:
    async def test_a_browser_gets_a_printable_page_in_chinese_with_every_value_escaped(
        self, funds, scripted
    ):
        request = funds.build_request("GET", "/public/projects")
        del request.headers["Authorization"]
        request.headers.update(BROWSER)
        response = await funds.send(request)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        page = response.text
        assert '<html lang="zh-CN">' in page
        assert "<h1>项目清单</h1>" in page
        assert "儿童&lt;课堂&gt;" in page
        assert "江滨&lt;社工&gt;服务中心" in page
        assert "<课堂>" not in page
        assert f"/public/applications/{scripted['completed']}/disclosure" in page
        assert f"/public/funds/{scripted['wide_fund']}/ledger" in page
        assert "/public/projects?limit=50&amp;format=json" in page
        assert "受益 36 人次 · 活动 48 场" in page
        assert "暂停拨付（中期评估未通过）" in page
        assert "立项金额 ¥3,500.00 · 已拨付 ¥1,700.00" in page

    async def test_format_json_keeps_json_for_a_browser(self, funds):
        request = funds.build_request("GET", "/public/projects?format=json")
        request.headers.update(BROWSER)
        response = await funds.send(request)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")

    async def test_a_bad_filter_on_the_page_is_a_page_in_chinese(self, public):
        response = await public("/public/projects?limit=0&format=html")
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert 'lang="zh-CN"' in response.text

    async def test_the_page_is_headed_with_the_office_name_configured(
        self, database_url, nats_url, office
    ):
        settings = testing.settings_for(
            FundsSettings, database_url, nats_url, office, office_name="余姚市社会工作服务指导中心"
        )
        async with testing.serving(create_app(settings)) as client:
            page = await client.get("/public/projects", headers=BROWSER)
        assert page.status_code == 200, page.text
        assert "余姚市社会工作服务指导中心 · " in page.text

    async def test_without_one_the_page_names_the_offices_platform(self, public, office):
        page = (await public("/public/projects?format=html")).text
        assert f"五社联动志愿服务平台（机构编号 {office}） · " in page


class TestTheDisclosurePages:
    """What the projects list and the ledger link to (项目公示, 项目批次公示): a page for a
    browser, JSON for a script."""

    async def test_a_grants_disclosure_is_a_page_in_chinese_for_a_browser(
        self, funds, public, scripted, office
    ):
        url = f"/public/applications/{scripted['completed']}/disclosure"
        as_json = (await public(url)).json()
        assert (as_json["fund_id"], as_json["project_state"]) == (
            scripted["wide_fund"],
            "completed",
        )
        request = funds.build_request("GET", url, headers=BROWSER)
        del request.headers["Authorization"]
        page = await funds.send(request)
        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        text = page.text
        assert 'lang="zh-CN"' in text
        heading = (
            f"五社联动志愿服务平台（机构编号 {office}） · 社区微创投项目公示 · 阳明街道 江滨社区 ·"
        )
        assert f"{heading}\n全域社区慈善基金" in text
        assert "儿童&lt;课堂&gt;" in text  # escaped
        assert "儿童<课堂>" not in text
        assert "江滨&lt;社工&gt;服务中心" in text
        assert "已结项" in text
        assert "受益 36 人次 · 活动 48 场" in text
        assert "¥500.00" in text  # approved, in yuan
        for e in as_json["expenses"]:
            assert e["receipt_sha256"] in text
            reported = datetime.fromisoformat(e["reported_at"]).astimezone(SHANGHAI)
            # its date, the office's
            assert f"<td data-label='登记日期（北京时间）'>{reported:%Y-%m-%d}</td>" in text
        assert "<td data-label='类别'>物资</td>" in text  # the expense category "materials"
        assert f"/public/funds/{scripted['wide_fund']}/ledger" in text
        assert f"/public/rounds/{scripted['wide']}/disclosure" in text
        assert '?format=json">数据（JSON）</a>' in text  # the same, for a script
        assert REVIEWER not in text
        assert DONOR not in text

    async def test_a_rounds_disclosure_lists_its_grants_as_a_page(self, public, scripted):
        text = (await public(f"/public/rounds/{scripted['wide']}/disclosure?format=html")).text
        assert "项目批次公示" in text
        for key in ("completed", "suspended"):
            assert f"/public/applications/{scripted[key]}/disclosure" in text
        assert "暂停拨付（中期评估未通过）" in text
        assert scripted["pending"] not in text
        assert "评审中的申请" not in text
        assert "各社区额度" not in text  # one budget for all
        # How its projects were selected: the criteria its reviewers scored, in words.
        assert "<dt>评审评分项</dt><dd>需求程度、可行性（每项 0–100 分" in text
        missing = await public(f"/public/rounds/{uuid4()}/disclosure?format=html")
        assert missing.status_code == 404
        assert "微创投批次" in missing.text  # a page in Chinese, as for every public page
        proposal = await public(
            f"/public/applications/{scripted['pending']}/disclosure?format=html"
        )
        assert proposal.status_code == 404
        assert "立项项目" in proposal.text


class TestTheFundsPage:
    async def test_the_funds_of_a_community_say_when_it_has_none(self, public, scripted):
        text = (await public("/public/funds?community=jiangbin&format=html")).text
        assert "阳明街道 江滨社区还没有社区慈善基金。" in text  # not a bare 暂无基金
        assert "<a href='/public/funds?format=html'>查看全部基金</a>" in text
        # A community the office does not have is a 404 naming it, as the projects list's.
        missing = await public("/public/funds?community=nowhere&format=html")
        assert missing.status_code == 404
        assert "社区" in missing.text
        assert "nowhere" in missing.text
        assert (await public("/public/funds?community=nowhere")).status_code == 404

    async def test_the_funds_are_a_page_linking_their_ledgers_and_rounds(self, public, scripted):
        listed = (await public("/public/funds")).json()["items"]
        assert [[r["round_id"] for r in f["rounds"]] for f in listed] == [
            [scripted["local"]],
            [scripted["wide"]],
        ]
        request_page = await public("/public/funds?format=html")
        assert request_page.status_code == 200
        text = request_page.text
        assert "<h1>基金公示</h1>" in text
        assert "全域社区慈善基金" in text
        assert "凤山街道 丰山社区" in text
        assert "¥" not in text  # amounts in yuan, headed 元
        assert "10,000.00" in text  # the office-wide fund's donation
        for f in listed:
            assert f["ledger"] in text
            assert f["rounds"][0]["disclosure_url"] in text
        assert text.count("校验通过") == 2
        assert DONOR not in text


class TestTheProjectsTable:
    """The `projects` table, a row per grant: kept by the store's hook in each event's
    transaction, filled from the log for the grants before it when the service starts."""

    async def test_the_hook_writes_what_the_fill_from_the_log_writes(self, scripted, runtime):
        query = "SELECT * FROM projects ORDER BY application_id"
        async with runtime.store.connection() as db:
            kept = await db.fetch(query)
            # The service filled the table when it started: it does not read the log again.
            assert await funds_store.projects.fill_projects(db) is None
            # A release whose fold differs refills it, once.
            await db.execute("UPDATE read_models SET version = 0 WHERE name = 'projects'")
            await db.execute("UPDATE projects SET title = 'stale'")
            assert await funds_store.projects.fill_projects(db) == len(kept)
            filled = await db.fetch(query)
            assert await funds_store.projects.fill_projects(db) is None
        granted = {scripted[k] for k in ("under_way", "completed", "suspended")}
        assert {str(r["application_id"]) for r in kept} == granted
        assert [dict(r) for r in filled] == [dict(r) for r in kept]

    async def test_an_office_upgrading_gets_its_grants_listed_at_the_first_start(
        self, scripted, runtime, database_url, nats_url, office
    ):
        """The grants made before the table was (funds_0012) are filled by the service, not by
        a migration running the service's code of the day."""
        async with runtime.store.connection() as db:
            kept = await db.fetch("SELECT * FROM projects ORDER BY application_id")
            await db.execute("DELETE FROM projects")
            await db.execute("DELETE FROM read_models")
        settings = testing.settings_for(FundsSettings, database_url, nats_url, office)
        async with testing.serving(create_app(settings)) as client:
            async with client.app.state.runtime.store.connection() as db:
                filled = await db.fetch("SELECT * FROM projects ORDER BY application_id")
        assert [dict(r) for r in filled] == [dict(r) for r in kept] != []

    async def test_a_late_or_repeated_write_never_takes_a_row_back(self, scripted, runtime):
        the_id = UUID(scripted["completed"])
        query = "SELECT * FROM projects WHERE application_id = $1"
        async with runtime.store.connection() as db:
            kept = await db.fetchrow(query, the_id)
            row = dict(kept)
            for version in (1, kept["version"]):
                older = row | {"version": version, "state": "under_way", "beneficiaries": None}
                await funds_store.projects.upsert_project(db, older)
            assert await db.fetchrow(query, the_id) == kept
            await funds_store.projects.upsert_project(db, row | {"version": row["version"] + 1})
            assert (await db.fetchrow(query, the_id))["version"] == row["version"] + 1

    async def test_the_list_shows_the_tables_rows(self, public, scripted, runtime):
        async with runtime.store.connection() as db:
            await db.execute(
                "UPDATE projects SET title = '改过的标题' WHERE application_id = $1",
                UUID(scripted["completed"]),
            )
        listed = (await public("/public/projects?community_id=jiangbin")).json()
        assert titles(listed) == {"jiangbin": ["改过的标题"]}


async def test_the_public_pages_fit_a_phone(tab, served, scripted):
    """Read on a phone at the notice board's QR code: a wide table scrolls in its own box, the
    page never sideways, and its columns of words keep room for a few characters a line (not
    one, squeezed beside the amounts)."""
    pages = [
        "/public/projects",
        "/public/funds",
        f"/public/funds/{scripted['wide_fund']}/ledger",
        f"/public/applications/{scripted['completed']}/disclosure",
    ]
    async with tab(viewport=PHONE) as page:
        for path in pages:
            await page.goto(f"{served}{path}?format=html")
            await page.locator("table").first.wait_for()
            widths = await page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert widths[0] <= widths[1], path
            narrowest = await page.evaluate(
                "Math.min(...[...document.querySelectorAll('td:not(.n)')].map(c => c.clientWidth))"
            )
            assert narrowest >= 70, path


async def test_a_disclosures_budget_is_said_to_be_the_one_applied_with(
    funds, fund, grant_round, approved_grant, public
):
    round_id = await grant_round(await fund())
    full = await approved_grant(round_id, amount=150_000, title="足额立项")
    cut = await approved_grant(round_id, amount=150_000, title="减额立项", approve=False)
    approved = await funds.post(f"/applications/{cut}/approve", json={"approved_fen": 140_000})
    assert approved.status_code == 200, approved.text

    def page(application_id: str):
        return public(f"/public/applications/{application_id}/disclosure?format=html")

    text = (await page(cut)).text
    assert "<h2>申报预算</h2>" in text
    assert "<th>用途</th>" in text
    assert "<tr><th>合计</th><th class='n'>1,500.00</th></tr>" in text
    assert "立项金额 ¥1,400.00 少于申请金额 ¥1,500.00：上表为申报时的预算。" in text
    assert "少于申请金额" not in (await page(full)).text

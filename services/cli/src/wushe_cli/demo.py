"""Demo data modelled on the seed articles (余姚, 潍坊, 苏州枫桥): loaded over HTTP like a user.

Every person here is invented; the ID numbers are made up with valid check characters.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from wushe_service.identity import check_digit

COMMUNITIES = [
    ("fengshan", "丰山社区", "阳明街道"),
    ("xinjian", "新建社区", "阳明街道"),
    ("jiangbin", "江滨社区", "兰江街道"),
    ("shengshan", "胜山村", "朗霞街道"),
]

# The demo's left-behind child is eleven whenever the demo is loaded: a left-behind child is
# under 16 (国发〔2016〕13号), and a fixed birth year would stop the demo loading one day.
_CHILD_BORN = datetime.now(UTC).year - 11

RESIDENTS = [
    # community, groups, birth year, name, area code + birth date, phone, address
    (
        "fengshan",
        ["elderly_alone"],
        1941,
        "陈阿婆",
        "330281",
        "19410305",
        "13805741001",
        "丰山社区5幢1单元102",
    ),
    (
        "fengshan",
        ["elderly", "disabled"],
        1950,
        "周大伯",
        "330281",
        "19500712",
        "13805741002",
        "丰山社区2幢3单元201",
    ),
    (
        "xinjian",
        ["left_behind_child"],
        _CHILD_BORN,
        "小宇",
        "330281",
        f"{_CHILD_BORN}0901",
        None,
        "新建社区9幢",
    ),
    (
        "jiangbin",
        ["dibao", "elderly"],
        1958,
        "王阿姨",
        "330281",
        "19581120",
        "13905742003",
        "江滨社区11幢402",
    ),
    (
        "shengshan",
        ["veteran", "elderly"],
        1949,
        "沈老伯",
        "330281",
        "19490101",
        "13705744004",
        "胜山村东头12号",
    ),
]

# Residents last visited long enough ago to be due a visit again (回访, 30 days): the
# workbench's first list is not empty in the demo. By index in RESIDENTS: days ago.
VISITED_LONG_AGO = {3: 45}

SURVEYS = [
    (
        0,
        "home_visit",
        {"physical": 2, "psychological": 2, "material": 1, "spiritual": 2},
        [("meal-delivery", "material", "high"), ("companionship", "spiritual", "normal")],
    ),
    (
        1,
        "home_visit",
        {"physical": 3, "psychological": 1, "material": 1, "spiritual": 1},
        [("rehabilitation", "physical", "critical")],
    ),
    (
        2,
        "questionnaire",
        {"physical": 0, "psychological": 2, "material": 1, "spiritual": 1},
        [("tutoring", "spiritual", "normal")],
    ),
    (
        3,
        "phone",
        {"physical": 1, "psychological": 1, "material": 3, "spiritual": 0},
        [("living-allowance", "material", "high")],
    ),
    (4, "home_visit", {"physical": 1, "psychological": 0, "material": 2, "spiritual": 1}, []),
    # A spot check (随机抽查) of the visit before: material differs by 2, a discrepancy.
    (4, "spot_check", {"physical": 1, "psychological": 0, "material": 0, "spiritual": 1}, []),
]

VOLUNTEERS = [
    (
        "张晓燕",
        "13605741101",
        "fengshan",
        ["haircut", "companionship"],
        "assistant",
        "ZS2023-330281-0012",
        "张老师",
    ),
    ("李建国", "13605741102", "jiangbin", ["repair", "driving"], "none", None, None),
    (
        "徐婷婷",
        "13605741103",
        "xinjian",
        ["tutoring"],
        "intermediate",
        "ZJ2022-330281-0031",
        "徐社工",
    ),
]

# The demo's office as people read it (the heading of its pages, the issuer of certificates):
# the office of the default code, Yuyao's; any other, a model one, named in Chinese as an
# office names itself, not by its code.
OFFICE_NAMES = {"yuyao": "余姚市社会工作服务指导中心（演示）"}
OFFICE_NAME = "示范区社会工作服务指导中心（演示）"
# Whom the public pages send a reader to: the demo's street station, at a number that reaches
# nobody (no local number begins with 1).
PUBLIC_CONTACT = "阳明街道社工站 0574-12345678（周一至周五 8:30-17:00）"


def settings(office: str) -> dict[str, str]:
    """What the demo's office is configured with where the operator's environment does not say."""
    return {
        "WUSHE_OFFICE_NAME": OFFICE_NAMES.get(office, OFFICE_NAME),
        "WUSHE_PUBLIC_CONTACT": PUBLIC_CONTACT,
    }


# The social worker of the demo's street station, who signs in to the workbench; the
# manager of its funds; an expert who reviews its grant applications.
SURVEYOR = "王社工"
SPOT_CHECKER = "李社工"  # another social worker: nobody spot-checks their own visit
FUND_MANAGER = "陈会计"
REVIEWER = "周教授"


@dataclass
class DemoResult:
    loaded: bool
    communities: int = 0
    residents: int = 0
    surveys: int = 0
    volunteers: int = 0
    wishes: int = 0
    teams: int = 0
    donations: int = 0
    grants: int = 0
    ledger_url: str = ""  # the public ledger of the demo's community fund
    certificate_url: str = ""  # where anyone checks the demo volunteer's certificate
    # Who of the demo signs in to the pages, to try each as its users would: their role, name
    # and token, which stands for a person (a volunteer's id, or a new one for staff), so that
    # what they do is shown as theirs — the surveyor of a visit, who approved a grant.
    people: list[dict[str, str]] = field(default_factory=list)


# Makes a token of the office's: (role, name, person id) -> the token.
TokenFor = Callable[[str, str, str], str]


def _id_number(area: str, birth: str, sequence: int) -> str:
    first = f"{area}{birth}{sequence:03d}"
    return first + check_digit(first)


WISHES = [
    # resident index, whether it answers that resident's first need, category, title, fen, days
    (0, True, "meal-delivery", "每周三次送餐上门", 30_000, 30),
    (1, False, "daily-goods", "一台收音机", 15_000, 14),
    (2, False, "study-supplies", "一套学习用品和课外书", 8_000, 21),
    (3, False, "repair", "修好漏水的厨房水龙头", 5_000, 10),
    (4, False, "haircut", "上门理发", 2_000, 14),
    (1, False, "driving", "陪同去医院复查的接送", 6_000, 7),
    (2, False, "daily-goods", "一盏护眼台灯", 9_000, 21),
]
# Who of VOLUNTEERS claimed which of WISHES, by index, and the hours each that fulfilled one
# took: a wish on the board stays unclaimed. The demo's volunteer's radio is confirmed (her
# certificate's hours); the others show a social worker each state she meets — two on the
# board, two claimed, two fulfilled awaiting her confirmation.
CLAIMS = {1: (0, 2), 3: (1, None), 4: (0, None), 5: (1, 3), 6: (2, 1)}
CONFIRMED = 1


class Demo:
    """Loads the demo as an office's staff would, over the services' HTTP APIs."""

    def __init__(self, http: httpx.Client, urls: dict[str, str], token_for: TokenFor) -> None:
        self.http = http
        self.urls = urls
        self.token_for = token_for
        self.result = DemoResult(loaded=True)
        self.resident_ids: list[str] = []
        self.need_ids: dict[int, list[str]] = {}
        self.volunteer_ids: list[str] = []
        self.crew_id = ""
        self.social_org_id = ""
        self.social_worker = ""  # 王社工's token: the visits, the wishes posted and confirmed
        self.volunteer_tokens: dict[int, str] = {}  # by index of VOLUNTEERS, made as they act

    def person(self, role: str, name: str, person_id: str | None = None) -> str:
        """A token for one of the demo's people; staff are new people."""
        token = self.token_for(role, name, person_id or str(uuid.uuid4()))
        self.result.people.append({"role": role, "name": name, "token": token})
        return token

    def post(
        self, service: str, path: str, body: dict[str, Any], token: str | None = None
    ) -> dict[str, Any]:
        """As the admin, or as the person whose `token` it is."""
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = self.http.post(f"{self.urls[service]}{path}", json=body, headers=headers)
        response.raise_for_status()
        return response.json() if response.content else {}

    def communities(self) -> None:
        for slug, name, street in COMMUNITIES[1:]:
            self.post(
                "needs", "/communities", {"community_id": slug, "name": name, "street": street}
            )
            self.result.communities += 1

    def residents(self) -> None:
        for n, (slug, groups, born, name, area, birth, phone, address) in enumerate(RESIDENTS):
            # Consent to keep personal data: a guardian's for a child under 14 (by birth year:
            # the one given the benefit of the doubt counts as a child too).
            body = {
                "community_id": slug,
                "groups": groups,
                "birth_year": born,
                "name": name,
                "id_number": _id_number(area, birth, 101 + 2 * n),
                "address": address,
                "consent": {
                    "given_by": "guardian" if datetime.now(UTC).year - born <= 14 else "self"
                },
            }
            if phone:
                body["phone"] = phone
            self.resident_ids.append(self.post("needs", "/residents", body)["resident_id"])
            self.result.residents += 1

    def surveys(self) -> None:
        visitor = self.social_worker = self.person("social_worker", SURVEYOR)
        checker = self.person("social_worker", SPOT_CHECKER)
        for index, method, dimensions, needs in SURVEYS:
            body: dict[str, Any] = {
                "resident_id": self.resident_ids[index],
                "method": method,
                "dimensions": dimensions,
                "needs": [{"category": c, "dimension": d, "urgency": u} for c, d, u in needs],
            }
            if method == "spot_check":
                first = self.http.get(
                    f"{self.urls['needs']}/surveys",
                    params={"resident_id": self.resident_ids[index]},
                )
                body["verifies_survey_id"] = first.json()["items"][0]["survey_id"]
            if index in VISITED_LONG_AGO:
                at = datetime.now(UTC) - timedelta(days=VISITED_LONG_AGO[index])
                body["surveyed_at"] = at.isoformat()
            by = checker if method == "spot_check" else visitor
            found = self.post("needs", "/surveys", body, by).get("need_ids", [])
            self.need_ids.setdefault(index, []).extend(found)
            self.result.surveys += 1

    def await_communities(self, service: str) -> None:
        """The volunteers and funds services learn of communities from the needs service's
        events: a volunteer, fund or project of a community unheard of would be refused.
        They come through the relay, started last: on a busy machine it may take a while to
        start, as the services are given two minutes to."""
        for slug, _name, _street in COMMUNITIES:
            url = f"{self.urls[service]}/communities/{slug}"
            deadline = time.monotonic() + 120
            while self.http.get(url).status_code == 404:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the {service} service has not heard of {slug} in 120 s: is the relay "
                        "running? (logs/relay.log)"
                    )
                time.sleep(0.05)

    def volunteers(self) -> None:
        self.await_communities("volunteers")
        for name, phone, slug, skills, level, certificate, display in VOLUNTEERS:
            created = self.post(
                "volunteers",
                "/volunteers",
                {
                    "name": name,
                    "phone": phone,
                    "community_id": slug,
                    "skills": skills,
                    "certification": level,
                    "certificate_number": certificate,
                    "display_name": display,
                    "show_name_publicly": display is not None,
                },
            )
            self.volunteer_ids.append(created["volunteer_id"])
            self.result.volunteers += 1

    def teams(self) -> None:
        crew = self.post(
            "volunteers", "/teams", {"kind": "volunteer_team", "name": "阳明青年志愿服务队"}
        )["team_id"]
        self.crew_id = crew
        for volunteer_id, role in zip(
            self.volunteer_ids, ("coordinator", "member", "member"), strict=True
        ):
            self.post(
                "volunteers", f"/teams/{crew}/members", {"volunteer_id": volunteer_id, "role": role}
            )
        # The team's coordinator and one of its volunteers (after the visits' social workers);
        # the fund's manager and an expert reviewer of its grant rounds (not volunteers).
        self.person("coordinator", VOLUNTEERS[0][0], self.volunteer_ids[0])
        self.volunteer(1)
        self.person("fund_manager", FUND_MANAGER)
        self.person("reviewer", REVIEWER)
        university = self.post(
            "volunteers", "/teams", {"kind": "university", "name": "宁波大学社会工作系"}
        )["team_id"]
        social_org = self.post(
            "volunteers", "/teams", {"kind": "social_org", "name": "余姚市阳光社会工作服务中心"}
        )["team_id"]
        self.social_org_id = social_org
        self.post(
            "volunteers",
            "/pairings",
            {
                "university_team_id": university,
                "social_org_team_id": social_org,
                "community_id": "fengshan",
            },
        )
        station = self.post(
            "volunteers",
            "/sites",
            {"kind": "social_work_station", "name": "阳明街道社工站", "community_id": "fengshan"},
        )["site_id"]
        self.post(
            "volunteers",
            "/sites",
            {
                "kind": "civilization_practice_center",
                "name": "丰山社区新时代文明实践站",
                "community_id": "fengshan",
            },
        )
        starts = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
        starts += timedelta(days=5)
        activity = self.post(
            "volunteers",
            "/activities",
            {
                "team_id": crew,
                "site_id": station,
                "community_id": "fengshan",
                "title": "敬老理发进社区",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "capacity": 10,
                "need_categories": ["haircut", "companionship"],
            },
        )["activity_id"]
        for volunteer_id in self.volunteer_ids[1:]:
            self.post(
                "volunteers", f"/activities/{activity}/signups", {"volunteer_id": volunteer_id}
            )
        self.result.teams = 3

    def wishes(self) -> None:
        deadline = datetime.now(UTC)
        wish_ids = []
        for index, from_need, category, title, value, days in WISHES:
            body: dict[str, Any] = {
                "category": category,
                "title": title,
                "estimated_value_fen": value,
                "deadline": (deadline + timedelta(days=days)).isoformat(),
            }
            if from_need:
                body["need_id"] = self.need_ids[index][0]
            else:
                body |= {
                    "resident_id": self.resident_ids[index],
                    "community_id": RESIDENTS[index][0],
                }
            # Social workers post micro-wishes, from the needs their visits found.
            wish_ids.append(self.post("needs", "/wishes", body, self.social_worker)["wish_id"])
        for index, (volunteer, hours) in CLAIMS.items():
            # A volunteer claims and fulfils a wish as themself, with their own token.
            token = self.volunteer(volunteer)
            self.claim(wish_ids[index], token)
            if hours is not None:
                # The volunteers service records the hours, pending verification.
                self.post("needs", f"/wishes/{wish_ids[index]}/fulfil", {"hours": hours}, token)
        # The social worker who confirms the wish verifies its hours (谁组织谁记录), as herself.
        self.post("needs", f"/wishes/{wish_ids[CONFIRMED]}/confirm", {}, self.social_worker)
        self.result.wishes = len(wish_ids)
        self.certificate(self.volunteer_ids[0])

    def volunteer(self, index: int) -> str:
        """The token of the volunteer of VOLUNTEERS at `index`, their own (志愿者), made the
        first time they act. The team's coordinator gets one too: she claims as a volunteer."""
        if index not in self.volunteer_tokens:
            name = VOLUNTEERS[index][0]
            token = self.person("volunteer", name, self.volunteer_ids[index])
            self.volunteer_tokens[index] = token
        return self.volunteer_tokens[index]

    def claim(self, wish_id: str, token: str) -> None:
        """As the volunteer whose `token` it is. The needs service learns of volunteers from
        their events: this waits until it has."""
        url = f"{self.urls['needs']}/wishes/{wish_id}/claim"
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(100):
            response = self.http.post(url, json={}, headers=headers)
            if response.status_code != 409:
                response.raise_for_status()
                return
            time.sleep(0.1)
        raise RuntimeError("the needs service has not heard of the demo volunteers in 10 s")

    def certificate(self, volunteer_id: str) -> None:
        """Her hours arrive verified from the needs service's events (the wish fulfilled, then
        confirmed): issue her service record certificate (志愿服务记录证明), which anyone can
        check by its code."""
        url = f"{self.urls['volunteers']}/hours"
        for _ in range(100):
            verified = self.http.get(
                url, params={"volunteer_id": volunteer_id, "state": "verified"}
            )
            verified.raise_for_status()
            if verified.json()["items"]:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the volunteers service has not verified the demo hours in 10 s")
        issued = self.post("volunteers", f"/volunteers/{volunteer_id}/certificates", {})
        self.result.certificate_url = f"{self.urls['volunteers']}/certificates/{issued['code']}"

    def funds(self) -> None:
        self.await_communities("funds")
        fund_id = self.post(
            "funds", "/funds", {"name": "丰山社区慈善基金", "community_id": "fengshan"}
        )["fund_id"]
        for amount, kind, donor, public, channel in [
            (500_000, "enterprise", "余姚某电器有限公司", True, "bank-transfer"),
            (20_000, "individual", "热心居民", False, "wechat-pay"),
            (8_800, "individual", None, False, "cash"),
        ]:
            self.post(
                "funds",
                f"/funds/{fund_id}/donations",
                {
                    "amount_fen": amount,
                    "donor_kind": kind,
                    "donor_name": donor,
                    "publish_donor_name": public,
                    "channel": channel,
                },
            )
            self.result.donations += 1
        self.grant(fund_id)
        self.envelopes()
        self.result.ledger_url = f"{self.urls['funds']}/public/funds/{fund_id}/ledger"

    def envelopes(self) -> None:
        """An office-wide fund's round parted between communities (每个社区的额度)."""
        fund_id = self.post("funds", "/funds", {"name": "余姚市社区公益创投基金"})["fund_id"]
        self.post(
            "funds",
            f"/funds/{fund_id}/donations",
            {"amount_fen": 800_000, "donor_kind": "government", "channel": "bank-transfer"},
        )
        self.result.donations += 1
        round_id = self.post(
            "funds",
            "/rounds",
            {
                "fund_id": fund_id,
                "name": "2027年余姚市社区公益微创投",
                "budget_fen": 800_000,
                "themes": ["为老服务", "儿童关爱", "邻里互助"],
                "per_project_cap_fen": 150_000,
                "closes_at": (datetime.now(UTC) + timedelta(days=60)).isoformat(),
                "community_budgets_fen": {slug: 200_000 for slug, _, _ in COMMUNITIES},
            },
        )["round_id"]
        # An application found eligible and awaiting its reviews: the reviewers' page's.
        path = self.apply(
            round_id,
            {
                "team_id": self.social_org_id,
                "community_id": "jiangbin",
                "title": "江滨社区儿童四点半课堂",
                "summary": "放学后为双职工家庭和留守儿童提供作业辅导与阅读陪伴",
                "theme": "儿童关爱",
                "requested_fen": 120_000,
                "budget_lines": [
                    {"item": "图书与文具", "amount_fen": 40_000},
                    {"item": "大学生志愿者交通与保险", "amount_fen": 50_000},
                    {"item": "场地布置", "amount_fen": 30_000},
                ],
            },
        )
        self.post("funds", f"{path}/eligibility", {})

    def grant(self, fund_id: str) -> None:
        """A micro-venture round with one grant paid its first tranche: the ledger's outflow."""
        round_id = self.post(
            "funds",
            "/rounds",
            {
                "fund_id": fund_id,
                "name": "2026年丰山社区公益微创投",
                "budget_fen": 300_000,
                "themes": ["为老服务", "儿童关爱"],
                "per_project_cap_fen": 100_000,
                "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                "criteria": ["need", "feasibility", "budget"],
            },
        )["round_id"]
        application = {
            "team_id": self.crew_id,
            "community_id": "fengshan",
            "title": "银龄理发与陪伴",
            "summary": "每月为独居老人上门理发并陪伴聊天",
            "theme": "为老服务",
            "requested_fen": 80_000,
            "budget_lines": [
                {"item": "理发工具与耗材", "amount_fen": 30_000},
                {"item": "志愿者交通与保险", "amount_fen": 50_000},
            ],
            # The first resident's need of company: once approved, the grant answers it.
            "need_ids": self.need_ids.get(0, [])[1:2],
        }
        path = self.apply(round_id, application)
        self.post("funds", f"{path}/eligibility", {})
        self.post(
            "funds",
            f"{path}/reviews",
            {
                "reviewer_id": str(uuid.uuid4()),
                "scores": {"need": 88, "feasibility": 82, "budget": 79},
            },
        )
        self.post("funds", f"{path}/approve", {"approved_fen": 60_000})
        self.post("funds", f"{path}/disbursements", {"amount_fen": 30_000})
        self.result.grants = 1

    def apply(self, round_id: str, application: dict[str, Any]) -> str:
        """Submit the application; its path. The funds service learns of teams from their
        events: this waits until it has."""
        url = f"{self.urls['funds']}/rounds/{round_id}/applications"
        for _ in range(100):
            response = self.http.post(url, json=application)
            if response.status_code != 409:
                break
            time.sleep(0.1)
        response.raise_for_status()
        return f"/applications/{response.json()['application_id']}"


def load(urls: dict[str, str], token: str, token_for: TokenFor) -> DemoResult:
    """Load the demo into a running office, unless an earlier run already did; `token`, the
    admin's, records what no one of the demo's people does, `token_for` makes theirs."""
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        first = http.post(
            f"{urls['needs']}/communities",
            json=dict(zip(("community_id", "name", "street"), COMMUNITIES[0], strict=True)),
        )
        if first.status_code == 409:
            return DemoResult(loaded=False)
        first.raise_for_status()
        demo = Demo(http, urls, token_for)
        demo.result.communities = 1
        for step in (
            demo.communities,
            demo.residents,
            demo.surveys,
            demo.volunteers,
            demo.teams,
            demo.wishes,
            demo.funds,
        ):
            step()
    return demo.result

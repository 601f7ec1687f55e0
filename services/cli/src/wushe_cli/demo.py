"""Demo data modelled on the seed articles (余姚, 潍坊, 苏州枫桥): loaded over HTTP like a user.

Every person here is invented; the ID numbers are made up with valid check characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from wushe_service.identity import check_digit

COMMUNITIES = [
    ("fengshan", "丰山社区", "阳明街道"),
    ("xinjian", "新建社区", "阳明街道"),
    ("jiangbin", "江滨社区", "兰江街道"),
    ("shengshan", "胜山村", "朗霞街道"),
]

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
    ("xinjian", ["left_behind_child"], 2015, "小宇", "330281", "20150901", None, "新建社区9幢"),
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


@dataclass
class DemoResult:
    loaded: bool
    communities: int = 0
    residents: int = 0
    surveys: int = 0
    volunteers: int = 0
    donations: int = 0


def _id_number(area: str, birth: str, sequence: int) -> str:
    first = f"{area}{birth}{sequence:03d}"
    return first + check_digit(first)


def load(urls: dict[str, str], token: str) -> DemoResult:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=10) as http:
        first = http.post(
            f"{urls['needs']}/communities",
            json=dict(zip(("community_id", "name", "street"), COMMUNITIES[0], strict=True)),
        )
        if first.status_code == 409:
            return DemoResult(loaded=False)  # loaded by an earlier run
        first.raise_for_status()
        result = DemoResult(loaded=True, communities=1)
        for slug, name, street in COMMUNITIES[1:]:
            http.post(
                f"{urls['needs']}/communities",
                json={"community_id": slug, "name": name, "street": street},
            ).raise_for_status()
            result.communities += 1
        resident_ids = []
        for n, (slug, groups, born, name, area, birth, phone, address) in enumerate(RESIDENTS):
            body = {
                "community_id": slug,
                "groups": groups,
                "birth_year": born,
                "name": name,
                "id_number": _id_number(area, birth, 101 + 2 * n),
                "address": address,
            }
            if phone:
                body["phone"] = phone
            response = http.post(f"{urls['needs']}/residents", json=body)
            response.raise_for_status()
            resident_ids.append(response.json()["resident_id"])
            result.residents += 1
        for index, method, dimensions, needs in SURVEYS:
            http.post(
                f"{urls['needs']}/surveys",
                json={
                    "resident_id": resident_ids[index],
                    "method": method,
                    "dimensions": dimensions,
                    "needs": [{"category": c, "dimension": d, "urgency": u} for c, d, u in needs],
                },
            ).raise_for_status()
            result.surveys += 1
        for name, phone, slug, skills, level, certificate, display in VOLUNTEERS:
            http.post(
                f"{urls['volunteers']}/volunteers",
                json={
                    "name": name,
                    "phone": phone,
                    "community_id": slug,
                    "skills": skills,
                    "certification": level,
                    "certificate_number": certificate,
                    "display_name": display,
                    "show_name_publicly": display is not None,
                },
            ).raise_for_status()
            result.volunteers += 1
        fund = http.post(
            f"{urls['funds']}/funds", json={"name": "丰山社区慈善基金", "community_id": "fengshan"}
        )
        fund.raise_for_status()
        fund_id = fund.json()["fund_id"]
        for amount, kind, donor, public, channel in [
            (500_000, "enterprise", "余姚某电器有限公司", True, "bank-transfer"),
            (20_000, "individual", "热心居民", False, "wechat-pay"),
            (8_800, "individual", None, False, "cash"),
        ]:
            http.post(
                f"{urls['funds']}/funds/{fund_id}/donations",
                json={
                    "amount_fen": amount,
                    "donor_kind": kind,
                    "donor_name": donor,
                    "publish_donor_name": public,
                    "channel": channel,
                },
            ).raise_for_status()
            result.donations += 1
        http.post(
            f"{urls['funds']}/funds", json={"name": "余姚市社区公益创投基金"}
        ).raise_for_status()
    return result

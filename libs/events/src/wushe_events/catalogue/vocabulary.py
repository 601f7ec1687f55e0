"""Closed vocabularies whose slugs events carry, each with the Chinese labels staff type.

An event keeps the slug (`haircut`); people read and type the label (理发). One table per
vocabulary maps both ways, so that what an API accepts, what it answers and what a page
shows come from the same place. The need categories are the needs service's (the dashboard
names them alike) and live here because the volunteers service files activities under them;
the volunteers service's skills, team kinds, site kinds and certifications live here so that
reporting and the other services read them from one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field

from wushe_events.catalogue.base import SLUG_PATTERN

_SPACE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Vocabulary:
    """`labels`: slug → its labels, the first the one shown (the others are accepted too)."""

    noun: str  # what one value is, in a message: "skill", "need category"
    labels: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for slug, names in self.labels.items():
            for key in (slug, *names):
                if seen.setdefault(_key(key), slug) != slug:
                    raise ValueError(f"{key} means both {seen[_key(key)]} and {slug}")

    def label(self, slug: str) -> str:
        """The label shown for `slug`; a slug from before the table knew it, as it is."""
        names = self.labels.get(slug)
        return names[0] if names else slug

    def shown(self) -> dict[str, str]:
        """Every slug with the label shown for it, in the table's order (a page's choices)."""
        return {slug: names[0] for slug, names in self.labels.items()}

    def slug(self, value: str) -> str:
        """The slug `value` names, given as the slug or a label (spaces and case aside); a
        ValueError listing what is accepted — never the value, which may be anything."""
        found = self._index().get(_key(value))
        if found is None:
            raise ValueError(f"not a known {self.noun}; accepted: {self.accepted()}")
        return found

    def slug_or_own(self, value: str) -> str:
        """The slug `value` names, as `slug` does; or `value` itself when it is a slug the
        table does not know — a category of the office's own (助浴 filed as `bathing`), which
        is shown as it is. Anything else (an unknown label) is a ValueError as `slug`'s."""
        found = self._index().get(_key(value))
        if found is not None:
            return found
        if _OWN.fullmatch(value):
            return value
        raise ValueError(
            f"not a known {self.noun}; accepted: {self.accepted()} — or one of the office's"
            " own as a slug (lowercase Latin letters, digits and hyphens)"
        )

    def slugs(self, values: Iterable[str]) -> list[str]:
        """The slugs of `values`, each once, in the order first given."""
        return list(dict.fromkeys(self.slug(v) for v in values))

    def accepted(self) -> str:
        return ", ".join(f"{slug} ({names[0]})" for slug, names in self.labels.items())

    def _index(self) -> dict[str, str]:
        return {_key(k): slug for slug, names in self.labels.items() for k in (slug, *names)}


_OWN = re.compile(SLUG_PATTERN)


def _key(value: str) -> str:
    return _SPACE.sub("", value).casefold()


NEED_CATEGORIES = Vocabulary(
    "need category",
    {
        "meal-delivery": ("送餐", "助餐"),
        "companionship": ("陪伴", "陪伴聊天"),
        "rehabilitation": ("康复",),
        "tutoring": ("学业辅导", "课业辅导"),
        "living-allowance": ("生活补助",),
        "daily-goods": ("生活用品",),
        "study-supplies": ("学习用品",),
        "haircut": ("理发", "义剪"),
        "repair": ("维修", "家电维修"),
        "driving": ("出行接送",),
        "medical": ("就医", "陪诊"),
        "mental-health": ("心理疏导", "心理咨询"),
        "home-care": ("居家照护",),
        "cleaning": ("清洁", "保洁"),
        "legal": ("法律援助",),
        "employment": ("就业",),
    },
)


# What a volunteer can do (特长). Where a skill serves a need category the two share the slug
# (理发 is `haircut` in both), so that an activity's categories and its volunteers' skills can
# be matched.
SKILLS = Vocabulary(
    "skill",
    {
        "elderly-care": ("助老", "为老服务"),
        "disability-support": ("助残",),
        "childcare": ("儿童照护", "托管"),
        "companionship": ("陪伴", "陪伴聊天"),
        "haircut": ("理发", "义剪"),
        "mental-health": ("心理疏导", "心理咨询"),
        "tutoring": ("学业辅导", "课业辅导"),
        "medical": ("医疗护理", "义诊"),
        "first-aid": ("急救",),
        "rehabilitation": ("康复",),
        "home-care": ("居家照护",),
        "meal-delivery": ("送餐", "助餐"),
        "cleaning": ("保洁", "清洁"),
        "repair": ("维修", "家电维修"),
        "driving": ("驾驶", "出行接送"),
        "legal": ("法律咨询", "法律援助"),
        "employment": ("就业指导",),
        "digital-skills": ("智能手机教学", "电脑教学"),
        "sign-language": ("手语",),
        "translation": ("翻译",),
        "arts": ("文艺演出",),
        "sports": ("体育健身",),
        "photography": ("摄影",),
        "publicity": ("宣传",),
        "event-organising": ("活动组织",),
        "accounting": ("财务",),
    },
)

# The labels of the volunteers service's closed enums (`wushe_events.catalogue.volunteers`),
# for the services and the dashboard to name them alike.
TEAM_KINDS = Vocabulary(
    "team kind",
    {
        "volunteer_team": ("志愿服务队",),
        "social_org": ("社会组织",),
        "university": ("高校",),
        "enterprise": ("企业",),
        "party_org": ("党组织",),
    },
)

SITE_KINDS = Vocabulary(
    "site kind",
    {
        "social_work_station": ("社工站",),
        "volunteer_station": ("志愿服务站",),
        "women_children_station": ("妇儿驿站",),
        "party_service_center": ("党群服务中心",),
        "civilization_practice_center": ("新时代文明实践中心",),
    },
)

CERTIFICATIONS = Vocabulary(
    "certification",
    {
        "none": ("无",),
        "assistant": ("助理社会工作师",),
        "intermediate": ("社会工作师",),
        "senior": ("高级社会工作师",),
    },
)


# A need category as typed, in the needs and volunteers services alike: its slug (haircut) or
# its Chinese label (理发), or a slug of the office's own; commands carry the slug, which is
# what events keep.
NeedCategory = Annotated[
    str,
    Field(
        max_length=64,
        description="a need category's slug or label (haircut or 理发), or a slug of the "
        "office's own",
    ),
    AfterValidator(NEED_CATEGORIES.slug_or_own),
]

# The categories a grantee reports an expense under (`funds.expense.reported`), for the
# disclosure pages and the dashboard to name them alike. Closed for new reports
# (`ExpenseCategory`): a public page in Chinese cannot word a grantee's own slug. The event
# stays open — an expense reported under one before (`supplies`) still reads, as 其他（supplies）.
EXPENSE_CATEGORIES = Vocabulary(
    "expense category",
    {
        "materials": ("物资", "物资采购"),
        "venue": ("场地", "场地租用"),
        "transport": ("交通",),
        "meals": ("餐饮", "餐费"),
        "printing": ("印刷宣传",),
        "labour": ("劳务", "劳务费"),
        "training": ("培训",),
        "insurance": ("保险",),
        "equipment": ("设备", "设备购置"),
        "other": ("其他",),
    },
)


# An expense's category as typed: its slug (materials) or its Chinese label (物资); the command
# carries the slug, which is what the event keeps.
ExpenseCategory = Annotated[
    str,
    Field(
        max_length=64,
        description="an expense category's slug or label: "
        + ", ".join(f"{slug} ({names[0]})" for slug, names in EXPENSE_CATEGORIES.labels.items()),
    ),
    AfterValidator(EXPENSE_CATEGORIES.slug),
]

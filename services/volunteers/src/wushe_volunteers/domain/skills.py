"""What a volunteer can do (特长): the slugs events carry and the labels coordinators type.

Where a skill serves a need category the two share the slug (理发 is `haircut` in both), so
that an activity's categories and its volunteers' skills can be matched.
"""

from __future__ import annotations

from wushe_events.catalogue.vocabulary import Vocabulary

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

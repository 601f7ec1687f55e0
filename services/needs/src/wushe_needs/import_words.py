"""What is wrong with a row of a residents' spreadsheet, in the words of the staff who fill it
in: the import's report is read beside the file in Excel, row by row and column by column.
A message names the rule, never the cell's content (personal data)."""

from __future__ import annotations

from typing import Any

from wushe_events.catalogue.needs import ConsentGiver
from wushe_needs.resident_labels import GIVERS, GROUPS

# By the `type` of the error, as a registration's 422 names it (forms.js words the same for the
# workbench's forms), then the import's own.
WORDS = {
    "missing": "必填",
    "string_too_short": "必填",
    "too_short": "至少填一项",
    "id_number_form": "应为 17 位数字加 1 位校验码（数字或 X）",
    "id_number_province": "前两位不是省级行政区划代码，请核对",
    "id_number_check": "校验码不对，请逐位核对",
    "id_number_date": "其中的出生日期不是有效日期，请核对",
    "phone_form": "应为 11 位手机号，或带区号的固定电话（如 0574-62345678）",
    "int_parsing": "应为年份，如 1948",
    "greater_than_equal": "应为 1900 年以后的年份",
    "less_than_equal": "年份不对，请核对",
    "in_the_future": "不能晚于今天",
    "birth_year_too_old": "早于 120 年前，请核对",
    "birth_year_id_number": "与身份证号中的出生日期不符，请核对",
    "group_under_18": "儿童限未满 18 周岁的居民，与出生年份不符",
    "group_under_16": "留守儿童限未满 16 周岁的居民，与出生年份不符",
    "group_60_or_over": "老人、独居老人限 60 周岁及以上的居民，与出生年份不符",
    "guardian_consent_required": "未满 14 周岁：须有监护人同意才能保存其个人信息（同意填“监护人”）",
    "invalid_reference": "本中心没有这个社区",
    # The import's own.
    "birth_year_missing": "必填（填了有效的身份证号时可不填）",
    "community_missing": "必填（或在工作台选定社区后导入）",
    "id_number_as_number": "被 Excel 存成了数字，末几位已丢失：请把这一列设为文本格式后重新输入",
    "unknown_group": "有不认识的类别，可填：" + "、".join(GROUPS.values()),
    "consent_value": "应为 " + "、".join(GIVERS.values()) + "，或留空（暂未取得）",
    "unknown_community": "本中心没有这个社区：请填写社区的名称或编号",
    "community_ambiguous": "几个街道都有这个名称的社区：请在“街道”列填写所在街道",
    "example_row": "这是模板中的示例行，请删除",
}
OTHER = "填写有误，请核对"
ALREADY = "已登记：本中心已有这个身份证号的居民"
# Without two ID numbers to tell, a namesake of the same birth year or phone is not known to be
# the same person (王秀英 is common): the social worker decides, the import does not.
POSSIBLE = (
    "可能重复，未导入：本社区已有同名且出生年份或手机号相同的居民。请打开其档案核对：是同一人"
    "则不必再导入（可在档案中补填身份证号）；确是另一位同名居民，请在“登记居民”中单独登记，"
    "并勾选“确认是另一位同名居民”"
)


# The office was asked to forget them (an erasure, or their consent withdrawn): a spreadsheet
# kept from before is no new consent. Whoever comes back and consents is registered by hand.
ERASED = (
    "已申请删除个人信息，未导入：这个身份证号的居民的个人信息已应要求删除，不再从台账导入，"
    "请将这一行从台账中删去。如本人（或监护人）重新同意，请在“登记居民”中单独登记"
)
# What became of the consent given on the row of a resident on record, by `Consent`.
_CONSENT = {
    "recorded": "已为其记录{giver}同意保存个人信息",
    "to_be_recorded": "导入时将为其记录{giver}同意保存个人信息",
    "on_record": "其同意保存个人信息已在档案中，未重复记录",
    "not_recorded": "同意未记录（见“同意”列）",
}


def consent(outcome: str, giver: ConsentGiver) -> str:
    return _CONSENT[outcome].format(giver=GIVERS[giver])


def worded(kind: str, context: dict[str, Any] | None = None) -> str:
    if kind == "string_too_long" and context and "max_length" in context:
        return f"最多 {context['max_length']} 个字"
    return WORDS.get(kind, OTHER)


def outside(street: str, community_street: str) -> str:
    return f"这个令牌只服务{street}，这个社区在{community_street}"


def same_as_row(number: int, by: str) -> str:
    if by == "id_number":
        return f"与第 {number} 行的身份证号相同：同一位居民只填一行"
    return f"与第 {number} 行是同一位居民（同社区、同名，出生年份或手机号相同）：只填一行"

"""The words the office's staff use for a resident's codes: target groups and who consented,
as the workbench shows them and the residents' spreadsheet (台账) is written in."""

from __future__ import annotations

from wushe_events.catalogue.needs import ConsentGiver, TargetGroup

GROUPS = {
    TargetGroup.elderly_alone: "独居老人",
    TargetGroup.elderly: "老人",
    TargetGroup.child: "儿童",
    TargetGroup.left_behind_child: "留守儿童",
    TargetGroup.dibao: "低保",
    TargetGroup.low_income: "低收入",
    TargetGroup.veteran: "退役军人",
    TargetGroup.disabled: "残疾人",
    TargetGroup.other: "其他",
}
# The other words a community's own 台账 writes a group in (民政's terms, a household's 户), read
# by the residents import as the label they mean; the workbench shows the labels above only.
GROUP_WORDS = {
    "独居": TargetGroup.elderly_alone,
    "老年人": TargetGroup.elderly,
    "未成年人": TargetGroup.child,
    "低保户": TargetGroup.dibao,
    "低保对象": TargetGroup.dibao,
    "低收入户": TargetGroup.low_income,
    "低收入家庭": TargetGroup.low_income,
    "低边": TargetGroup.low_income,  # 低保边缘家庭
    "退伍军人": TargetGroup.veteran,
    "残疾": TargetGroup.disabled,
    "残障人士": TargetGroup.disabled,
}
GIVERS = {ConsentGiver.self: "本人", ConsentGiver.guardian: "监护人"}

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
GIVERS = {ConsentGiver.self: "本人", ConsentGiver.guardian: "监护人"}

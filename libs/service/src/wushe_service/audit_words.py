"""The audit's codes in the words an auditor reads them (审计查询): each event type, each kind of
record, and why personal data was shown. One table for the API, its CSV and the page, so that
an event type added to the catalogue without its words fails `test_audit_words` rather than
show a code."""

from __future__ import annotations

import re

# By type without `wushe.` and `.vN` (as DESIGN §4 lists them): what was done.
EVENTS = {
    "needs.community.registered": "登记社区",
    "needs.community.renamed": "社区更名",
    "needs.consent.granted": "登记知情同意",
    "needs.consent.withdrawn": "撤回知情同意",
    "needs.need.identified": "识别需求",
    "needs.need.matched": "需求已对接",
    "needs.need.moved": "需求随居民迁移",
    "needs.need.reprioritised": "调整需求紧急程度",
    "needs.need.resolved": "需求已解决",
    "needs.need.transferred": "需求转入合并后的档案",
    "needs.need.unmatched": "取消需求对接",
    "needs.resident.erased": "删除居民个人信息",
    "needs.resident.merged": "合并重复居民档案",
    "needs.resident.moved": "居民迁至其他社区",
    "needs.resident.registered": "登记居民",
    "needs.resident.updated": "更正居民信息",
    "needs.survey.recorded": "记录需求调研",
    "needs.survey.verified": "核实需求调研",
    "needs.wish.cancelled": "取消微心愿",
    "needs.wish.claimed": "认领微心愿",
    "needs.wish.confirmed": "确认微心愿已实现",
    "needs.wish.expired": "微心愿过期",
    "needs.wish.fulfilled": "微心愿已完成",
    "needs.wish.moved": "微心愿随居民迁移",
    "needs.wish.posted": "发布微心愿",
    "needs.wish.progressed": "记录微心愿进展",
    "needs.wish.released": "放弃认领微心愿",
    "needs.wish.transferred": "微心愿转入合并后的档案",
    "volunteers.activity.cancelled": "取消活动",
    "volunteers.activity.scheduled": "发布活动",
    "volunteers.application.accepted": "通过志愿者报名",
    "volunteers.application.declined": "未通过志愿者报名",
    "volunteers.application.expired": "志愿者报名逾期未处理，自动关闭",
    "volunteers.application.submitted": "提交志愿者报名",
    "volunteers.attendance.recorded": "记录签到签退",
    "volunteers.certificate.issued": "开具志愿服务记录证明",
    "volunteers.hours.corrected": "更正服务时长",
    "volunteers.hours.declined": "不予认定服务时长",
    "volunteers.hours.recorded": "记录服务时长",
    "volunteers.hours.verified": "认定服务时长",
    "volunteers.pairing.established": "建立一校两社结对",
    "volunteers.signup.accepted": "活动报名",
    "volunteers.signup.withdrawn": "取消活动报名",
    "volunteers.site.registered": "登记服务阵地",
    "volunteers.team.memberadded": "加入队伍",
    "volunteers.team.memberremoved": "退出队伍",
    "volunteers.team.registered": "登记队伍",
    "volunteers.volunteer.erased": "删除志愿者个人信息",
    "volunteers.volunteer.reactivated": "恢复志愿者服务",
    "volunteers.volunteer.registered": "登记志愿者",
    "volunteers.volunteer.suspended": "暂停志愿者服务",
    "volunteers.volunteer.withdrawn": "志愿者退出服务",
    "funds.application.approved": "批准微创投申请",
    "funds.application.eligibilitychecked": "资格审查",
    "funds.application.rejected": "不予批准微创投申请",
    "funds.application.reviewed": "评审打分",
    "funds.application.reviewerrecused": "评审回避",
    "funds.application.submitted": "提交微创投申请",
    "funds.application.withdrawn": "撤回微创投申请",
    "funds.disbursement.approved": "审批拨付",
    "funds.disbursement.cancelled": "取消拨付",
    "funds.disbursement.requested": "申请拨付",
    "funds.donation.received": "接收捐赠",
    "funds.donation.refunded": "退还捐赠",
    "funds.expense.reported": "报告支出",
    "funds.fund.opened": "设立基金",
    "funds.grant.disbursed": "拨付资助款",
    "funds.project.completed": "项目结项",
    "funds.project.evaluated": "项目评估",
    "funds.round.allocated": "分配轮次预算",
    "funds.round.cancelled": "取消微创投轮次",
    "funds.round.closed": "微创投轮次截止",
    "funds.round.opened": "发布微创投轮次",
    "funds.round.released": "释放轮次预算",
}

# The records (aggregates) events belong to.
AGGREGATES = {
    "community": "社区",
    "need": "需求",
    "resident": "居民",
    "survey": "需求调研",
    "wish": "微心愿",
    "activity": "活动",
    "application": "报名或申请",
    "hours": "服务时长",
    "pairing": "结对",
    "site": "服务阵地",
    "team": "队伍",
    "volunteer": "志愿者",
    "certificate": "志愿服务记录证明",
    "fund": "基金",
    "round": "微创投轮次",
}

# The tokens' roles, as the people at the desk name them (the pages' signin.js ROLE_NAMES).
ROLES = {
    "admin": "管理员",
    "social_worker": "社工",
    "coordinator": "志愿服务协调员",
    "volunteer": "志愿者",
    "fund_manager": "基金管理员",
    "reviewer": "评审",
    "auditor": "审计",
    "viewer": "查看",
}

# Why personal data was shown (the read log's `purpose`, before its `: fields`).
PURPOSES = {
    "resident record": "查看居民档案",
    "resident search": "查找居民",
    "resident list": "居民名单",
    "visit list": "走访名单",
    "visit record": "入户走访记录表",
    "survey notes": "需求调研备注",
    "need notes": "需求备注",
    "case file": "个案档案",
    "needs list": "需求清单",
    "wish list": "微心愿列表",
    "volunteer record": "查看志愿者档案",
    "volunteer search": "查找志愿者",
    "volunteer application": "志愿者报名",
    "activity signups": "活动报名名单",
    "certificate": "志愿服务记录证明",
    "notes": "志愿者备注",
    "audit event": "审计查看操作记录原文",
}

# The fields a purpose names after its colon (`resident list: name, phone`).
FIELDS = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "address": "住址",
    "notes": "备注",
    "birth_year": "出生年份",
    "applicant_name": "姓名",
    "mobile": "手机号",
    "birth_month": "出生年月",
    "availability": "可服务时间",
    "display_name": "公开称呼",
    # What an auditor opened of an event (audit_withheld).
    "title": "标题",
    "summary": "项目简介",
    "budget_lines": "预算明细",
    "reason": "理由",
    "claimant_display": "认领人公开称呼",
    "donor_display": "捐赠人公开称呼",
    "purpose": "拨付用途",
}

_VERSION = re.compile(r"\.v\d+$")


def short_type(event_type: str) -> str:
    """`wushe.needs.wish.claimed.v1` as DESIGN §4 lists it: `needs.wish.claimed`."""
    return _VERSION.sub("", event_type.removeprefix("wushe."))


def event_name(event_type: str) -> str:
    """What an event type says was done; the code itself for a type without words."""
    return EVENTS.get(short_type(event_type), event_type)


def aggregate_name(aggregate: str) -> str:
    return AGGREGATES.get(aggregate, aggregate)


def purpose_name(purpose: str) -> str:
    """`visit list: name, address, phone` as 走访名单（姓名、住址、手机号）."""
    head, _, fields = purpose.partition(":")
    words = PURPOSES.get(head.strip(), head.strip())
    named = [FIELDS.get(f.strip(), f.strip()) for f in fields.split(",") if f.strip()]
    return f"{words}（{'、'.join(named)}）" if named else words

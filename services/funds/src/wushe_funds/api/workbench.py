"""The fund managers' workbench (基金工作台): a page in Chinese from which a fund manager signs
in with their token and runs the office's money: the funds with their balances, a donation
recorded (or refunded), a round's applications checked, approved or rejected, tranches asked
for, and the tranches above the two-approver threshold approved or withdrawn.

The page holds no data of its own: its script calls this service's API with the token the
fund manager typed, kept in the tab's `sessionStorage` (gone when the tab closes), so every
rule and role of the API holds as it does for any client — two different approvers, never the
requester, above the threshold. Money is integer fen in the API; the page reads and writes
yuan, converting the typed text exactly (no floating point). Its script and style are files
of this service — nothing loaded from elsewhere (offices run on intranets) — and the page is
served with a Content-Security-Policy that runs no other script, so that a name shown in it
can never run as code (the script writes text, never HTML).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.funds import DonorKind
from wushe_funds.domain.application import State
from wushe_funds.pages import acknowledgement as acknowledgement_sheet
from wushe_funds.purposes import (
    CANCELLATIONS,
    CHANNEL_WORDS,
    CHANNELS,
    CLOSINGS,
    CRITERIA,
    REASONS,
    ROUND_STATES,
)
from wushe_service import workbench as workbench_page

router = APIRouter(include_in_schema=False)
static = workbench_page.static("wushe_funds")

DONOR_KINDS = {
    DonorKind.individual: "个人",
    DonorKind.enterprise: "企业",
    DonorKind.organisation: "社会组织",
    DonorKind.government: "政府部门",
}
# As the dashboard words them (reporting's labels.json: grant_state, round_state).
APPLICATION_STATES = {
    State.submitted: "已申请",
    State.eligible: "资格审查通过",
    State.ineligible: "资格审查未通过",
    State.approved: "已获批",
    State.rejected: "未获批",
    State.completed: "已结项",
    State.withdrawn: "已撤回",
}
# Why the eligibility check failed (`domain.application.check_eligibility`'s reasons).
INELIGIBLE = {
    "team-unknown": "申报团队未在本中心登记",
    "budget-lines-missing": "缺少预算明细",
    "budget-lines-do-not-add-up": "预算明细合计与申请金额不符",
    "project-cap-exceeded": "超过单个项目资助上限",
}
# Why an application is not granted, as the workbench offers it (`reason` is a published
# code: an office may use others; the manager's own words go in the note, kept for staff).
REJECTIONS = {
    "not-selected": "未入选",
    "off-theme": "不符合本轮主题",
    "budget-unclear": "预算不清晰",
    "other": "其他",
}
# Rejected by the round's cancellation, never offered.
REJECTED_BY_ROUND = {"round-cancelled": "轮次已取消"}
# Why a tranche waiting for its approvers is withdrawn (a published code, as rejections').
WITHDRAWALS = {
    "amount-wrong": "金额有误",
    "fund-short": "基金余额不足",
    "plan-changed": "项目计划调整",
    "other": "其他",
}


# Why a reviewer steps aside, as the review page offers it and the workbench reads it
# (`reason` is a published code, on the bus and in the reporting service's counts: an office
# may use others).
RECUSALS = {
    "conflict-of-interest": "利益冲突",
    "team-member": "本人是申报团队成员",
    "outside-expertise": "不属于本人专业领域",
    "other": "其他",
}


def labels() -> dict[str, Any]:
    """The words the page shows for the codes it reads and sends: every value of each."""
    return {
        "donor_kinds": {k.value: DONOR_KINDS[k] for k in DonorKind},
        "channels": CHANNEL_WORDS,  # a donation's, as listed
        "channel_choices": CHANNELS,  # what the donation form offers
        "refund_reasons": REASONS,
        "application_states": {s.value: APPLICATION_STATES[s] for s in State},
        "round_states": ROUND_STATES,
        "round_closings": CLOSINGS,
        "round_cancellations": CANCELLATIONS,
        "ineligible": INELIGIBLE,
        "rejections": REJECTIONS,
        "rejected_because": REJECTIONS | REJECTED_BY_ROUND,
        "withdrawals": WITHDRAWALS,
        "criteria": CRITERIA,
        "recusals": RECUSALS,
    }


@router.get("/workbench", response_class=HTMLResponse)
async def workbench(request: Request) -> HTMLResponse:
    settings = request.app.state.runtime.settings
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "threshold_fen": settings.funds_two_approver_threshold_fen,
        "labels": labels(),
    }
    # The acknowledgement it opens (a blob, under this page's policy) has its own <style>.
    return workbench_page.page("wushe_funds", config, sheet_styles=[acknowledgement_sheet.STYLE])

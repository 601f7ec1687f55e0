"""The coordinators' workbench (志愿服务工作台): a page in Chinese from which a volunteer
coordinator signs in with their token, chooses one of the teams they coordinate, and runs it:
its activities with each one's roster, the attendance of those who signed up, and the pending
hours of the team to verify or decline (谁组织谁记录). A coordinator who runs no team yet
decides residents' applications (报名申请) still: those are the office's communities', not a
team's, and the tab is theirs alone.

The page holds no data of its own: its script calls this service's API with the token the
coordinator typed, kept in the tab's `sessionStorage` (gone when the tab closes), so every
rule, role and read log of the API holds as it does for any client. Its script and style are
files of this service — nothing loaded from elsewhere (offices run on intranets) — and the
page is served with a Content-Security-Policy that runs no other script, so that a name or a
note shown in it can never run as code (the script writes text, never HTML).
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES, TEAM_KINDS
from wushe_events.catalogue.volunteers import MemberRole, TeamKind
from wushe_service import workbench as workbench_page
from wushe_volunteers.api.certificates import STYLE as certificate_style
from wushe_volunteers.api.presentation import settings as settings_of
from wushe_volunteers.api.signups import SignupState
from wushe_volunteers.domain.hours import HoursState
from wushe_volunteers.domain.volunteer import VolunteerStatus

router = APIRouter(include_in_schema=False)
static = workbench_page.static("wushe_volunteers")

SIGNUP_STATES = {
    "active": "已报名",
    "withdrawn": "已撤回",
    "attended": "已出勤",
    "cancelled": "活动已取消",
}
HOURS_STATES = {
    HoursState.pending: "待审核",
    HoursState.verified: "已核实",
    HoursState.declined: "不予核实",
}
# Why hours are declined, as the workbench offers it (`reason` is a code that goes on the bus:
# an office may use others; the coordinator's own words go in the note).
DECLINES = {
    "absent": "未到场",
    "left-early": "提前离场",
    "wrong-activity": "记错活动（请在实际参加的活动中重新记录）",
    "duplicate": "重复记录",
    "other": "其他",
}


# Why hours are corrected, as the workbench offers it (a code that goes on the bus).
CORRECTIONS = {
    "wrong-times": "签到、签退时间记错",
    "left-early": "提前离场",
    "other": "其他",
}
# Why an activity is cancelled, as the workbench offers it (`reason`, a code that goes on the
# bus; the coordinator's own words go in the note).
CANCELLATIONS = {
    "weather": "天气原因",
    "venue": "场地原因",
    "too-few-signups": "报名人数不足",
    "other": "其他",
}

# Why a walk-in is entered beyond an activity's places (`over_capacity_reason`, a code that
# goes on the bus).
OVER_CAPACITY = {"": "不超员", "walk-in": "现场加入", "paper-sheet": "纸质签到表"}

# Why an application to become a volunteer is declined (`reason`, a code that goes on the bus).
APPLICATION_DECLINES = {
    "unreachable": "联系不上",
    "already-registered": "已是志愿者",
    "withdrawn": "本人不再报名",
    "not-eligible": "不符合条件",
    "duplicate": "重复报名",
    "other": "其他",
}

MEMBER_ROLES = {MemberRole.member: "队员", MemberRole.coordinator: "协调员"}
VOLUNTEER_STATUSES = {
    VolunteerStatus.active: "在册",
    VolunteerStatus.suspended: "暂停服务",
    VolunteerStatus.withdrawn: "已退出",
}


def labels() -> dict[str, Any]:
    """The words the page shows for the codes it reads and sends: every value of each."""
    return {
        "team_kinds": {k.value: TEAM_KINDS.label(k.value) for k in TeamKind},
        "member_roles": {r.value: MEMBER_ROLES[r] for r in MemberRole},
        "volunteer_statuses": {s.value: VOLUNTEER_STATUSES[s] for s in VolunteerStatus},
        "signup_states": {s: SIGNUP_STATES[s] for s in get_args(SignupState)},
        "hours_states": {s.value: HOURS_STATES[s] for s in HoursState},
        "declines": DECLINES,
        "over_capacity": OVER_CAPACITY,
        "corrections": CORRECTIONS,
        "cancellations": CANCELLATIONS,
        "application_declines": APPLICATION_DECLINES,
        "need_categories": NEED_CATEGORIES.shown(),
    }


@router.get("/workbench", response_class=HTMLResponse)
async def workbench(request: Request) -> HTMLResponse:
    settings = settings_of(request)
    config = {"office": settings.display_name(), "timezone": settings.timezone, "labels": labels()}
    # The certificate it opens (a blob, under this page's policy) has its own <style>.
    return workbench_page.page("wushe_volunteers", config, sheet_styles=[certificate_style])

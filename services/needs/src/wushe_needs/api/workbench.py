"""The social workers' workbench (社工工作台): a page in Chinese from which a social worker
signs in with their token, sees who in a community is due a visit (回访), records a visit
(the four-dimension assessment and the needs found), registers a resident (or imports the
office's spreadsheet of them, 批量导入), and works the
community's needs list (需求清单): posts a micro-wish for a need, or ends it.

The page holds no data of its own: its script calls this service's API with the token the
social worker typed, kept in the tab's `sessionStorage` (gone when the tab closes), so every
rule, role, street and read log of the API holds as it does for any client. Its script and
style are files of this service — nothing loaded from elsewhere (offices run on intranets) —
and the page is served with a Content-Security-Policy that runs no other script, so that a
name or a note shown in it can never run as code (the script writes text, never HTML).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.needs import (
    AgeBand,
    ConsentGiver,
    ConsentPurpose,
    Dimension,
    SurveyMethod,
    TargetGroup,
    Urgency,
    WithdrawalReason,
)
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_needs.pages import MATCH_LABELS, URGENCY_LABELS
from wushe_needs.resident_labels import GIVERS, GROUPS
from wushe_needs.visit_record import DIMENSIONS, LEVELS, METHODS, SHEET_CSS
from wushe_service import workbench as workbench_page

router = APIRouter(include_in_schema=False)
static = workbench_page.static("wushe_needs")

PURPOSES = {
    ConsentPurpose.personal_data: "保存个人信息",
    ConsentPurpose.services: "接受服务",
    ConsentPurpose.sharing: "与合作机构共享",
}
# The dimension a need of each category usually answers (送餐 物质, 心理疏导 心理…): a need's
# dimension follows its category on the visit form until the social worker chooses one, so
# that a need is not filed under the first dimension listed, 身体, by a form sent unread.
USUAL_DIMENSIONS = {
    "meal-delivery": Dimension.material,
    "companionship": Dimension.spiritual,
    "rehabilitation": Dimension.physical,
    "tutoring": Dimension.spiritual,
    "living-allowance": Dimension.material,
    "daily-goods": Dimension.material,
    "study-supplies": Dimension.material,
    "haircut": Dimension.physical,
    "repair": Dimension.material,
    "driving": Dimension.physical,
    "medical": Dimension.physical,
    "mental-health": Dimension.psychological,
    "home-care": Dimension.physical,
    "cleaning": Dimension.material,
    "legal": Dimension.spiritual,
    "employment": Dimension.material,
}
# Why a consent is withdrawn, as the dashboard words it (reporting's labels.json).
WITHDRAWALS = {
    WithdrawalReason.by_request: "本人要求",
    WithdrawalReason.guardian_request: "监护人要求",
    WithdrawalReason.moved_away: "迁出本辖区",
    WithdrawalReason.deceased: "已去世",
    WithdrawalReason.other: "其他",
}
# Why a need ended, as the workbench offers it (`reason` is a code: an office may use others).
ENDINGS = {
    "resolved": {"service-provided": "已提供服务", "referred": "已转介其他部门或机构"},
    "closed": {
        "no-longer-needed": "不再需要",
        "moved-away": "已搬离",
        "deceased": "已去世",
        "declined": "本人拒绝",
        "other": "其他",
    },
}

# As the dashboard words them (reporting's labels.json).
AGE_BANDS = {
    AgeBand.under_14: "14 岁以下",
    AgeBand.age_14_17: "14–17 岁",
    AgeBand.age_18_59: "18–59 岁",
    AgeBand.age_60_69: "60–69 岁",
    AgeBand.age_70_79: "70–79 岁",
    AgeBand.age_80_plus: "80 岁及以上",
}


def labels() -> dict[str, Any]:
    """The words the page shows for the codes it sends, from the tables the service's other
    pages use: every value of each enum, in order."""
    return {
        "groups": {g.value: GROUPS[g] for g in TargetGroup},
        "age_bands": {a.value: AGE_BANDS[a] for a in AgeBand},
        "methods": {m.value: METHODS[m] for m in SurveyMethod},
        "dimensions": {d.value: DIMENSIONS[d] for d in Dimension},
        "levels": {str(level): text for level, text in LEVELS.items()},
        "urgencies": {u.value: URGENCY_LABELS[u.value] for u in Urgency},
        "categories": NEED_CATEGORIES.shown(),
        "givers": {g.value: GIVERS[g] for g in ConsentGiver},
        "purposes": {p.value: PURPOSES[p] for p in ConsentPurpose},
        "withdrawals": {r.value: WITHDRAWALS[r] for r in WithdrawalReason},
        "usual_dimensions": {c: d.value for c, d in USUAL_DIMENSIONS.items()},
        "match_kinds": MATCH_LABELS,
        "endings": ENDINGS,
    }


@router.get("/workbench", response_class=HTMLResponse)
async def workbench(request: Request) -> HTMLResponse:
    settings = request.app.state.runtime.settings
    # The visit record sheet it opens (a blob, under this page's policy) has its own <style>,
    # allowed by its hash: text written with textContent can carry no style, nor anything else.
    config = {"office": settings.display_name(), "timezone": settings.timezone, "labels": labels()}
    return workbench_page.page("wushe_needs", config, sheet_styles=[SHEET_CSS])

"""The applicants' page (项目申报与执行): the coordinator of a team that applies for
micro-venture grants (微创投) signs in with their own token, applies to an open round for one
of the teams they coordinate — with its budget lines — or withdraws an application before its
review, and, once granted, reports the project's expenses (each with the SHA-256 of its
receipt, computed in the browser: the file never leaves it) and completes it with its outcomes.

Like the other pages of the service, it holds no data of its own: its script calls this
service's API with the coordinator's token, which acts for the teams its own person coordinates
(anyone else's application is refused), and it is served under the same Content-Security-Policy.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.vocabulary import EXPENSE_CATEGORIES
from wushe_funds.api import workbench
from wushe_service import workbench as workbench_page

router = APIRouter(include_in_schema=False)


def labels() -> dict[str, Any]:
    """The words the page shows for the codes it reads and sends."""
    words = workbench.labels()
    return {
        "application_states": words["application_states"],
        "round_states": words["round_states"],
        "ineligible": words["ineligible"],
        "rejected_because": words["rejected_because"],
        # The shared vocabulary the dashboard counts expenses by (an expense's `category`).
        "expense_categories": EXPENSE_CATEGORIES.shown(),
    }


@router.get("/grants", response_class=HTMLResponse)
async def grants(request: Request) -> HTMLResponse:
    settings = request.app.state.runtime.settings
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "labels": labels(),
    }
    return workbench_page.page("wushe_funds", config, name="applicant.html")

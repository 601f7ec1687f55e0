"""The reviewers' page (项目评审): an expert reviewer of the office's micro-venture rounds
(微创投评审) signs in with their own token, reads each application of a round that awaits its
reviews — the project, its team, its budget — and scores it on each of the round's criteria
with their comments, or recuses from it.

Like the fund managers' workbench, the page holds no data of its own: its script calls this
service's API with the reviewer's token, which acts for its own person only (a member of the
applying team is refused), and it is served under the same Content-Security-Policy.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_funds.api import workbench
from wushe_service import workbench as workbench_page

router = APIRouter(include_in_schema=False)


def labels() -> dict[str, Any]:
    """The words the page shows for the codes it reads and sends."""
    words = workbench.labels()
    return {
        "application_states": words["application_states"],
        "round_states": words["round_states"],
        "criteria": words["criteria"],
        "recusals": words["recusals"],
    }


@router.get("/review", response_class=HTMLResponse)
async def review(request: Request) -> HTMLResponse:
    settings = request.app.state.runtime.settings
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "labels": labels(),
    }
    return workbench_page.page("wushe_funds", config, name="review.html")

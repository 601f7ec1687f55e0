"""The volunteers' micro-wish page (认领微心愿): a volunteer signs in with their own token and,
on a phone as at a desk, finds the wishes on the board to claim — what, where, worth how much,
by when, never whose — claims one, reports progress on it (a claim with none for the office's
days is released), gives it back, or says it is done with the hours it took; and follows the
wishes they claimed until a social worker confirms them.

Like the social workers' workbench, the page holds no data of its own: its script calls this
service's API with the volunteer's token, which claims for its own person only, and it is
served under the same Content-Security-Policy.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_needs.domain.wish import WishState
from wushe_needs.pages import STATES
from wushe_service import workbench as workbench_page

router = APIRouter(include_in_schema=False)

# The words of the wish board, and those of the states it does not show.
WISH_STATES = STATES | {"cancelled": "已取消", "expired": "已过期"}


@router.get("/my", response_class=HTMLResponse)
async def my_wishes(request: Request) -> HTMLResponse:
    settings = request.app.state.runtime.settings
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "stale_days": settings.wish_claim_stale_days,
        "labels": {"wish_states": {s.value: WISH_STATES[s.value] for s in WishState}},
    }
    return workbench_page.page("wushe_needs", config, name="my.html")

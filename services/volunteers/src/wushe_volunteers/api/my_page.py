"""The volunteers' own page (我的志愿服务): a volunteer signs in with their own token and, on a
phone as at a desk, signs up for the activities to come (or withdraws), sees what they signed up
for and whether it was attended, their service hours — pending, verified, or declined and why —
and the certificate a coordinator issued them.

Like the coordinators' workbench, the page holds no data of its own: its script calls this
service's API with the volunteer's token, where a volunteer's token acts for its own person
only, and it is served under the same Content-Security-Policy.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_service import workbench as workbench_page
from wushe_volunteers.api.certificates import STYLE as certificate_style
from wushe_volunteers.api.presentation import settings as settings_of
from wushe_volunteers.api.workbench import labels

router = APIRouter(include_in_schema=False)


@router.get("/my", response_class=HTMLResponse)
async def my_volunteering(request: Request) -> HTMLResponse:
    settings = settings_of(request)
    # The services an activity may offer, to find those one can help with.
    words = labels() | {"need_categories": NEED_CATEGORIES.shown()}
    config = {"office": settings.display_name(), "timezone": settings.timezone, "labels": words}
    # The certificate, shown from a blob under this page's policy, has its own <style>.
    return workbench_page.page(
        "wushe_volunteers", config, sheet_styles=[certificate_style], name="my.html"
    )

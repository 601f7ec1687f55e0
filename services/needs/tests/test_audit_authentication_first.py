"""审计查询's routes name their caller before their filters: without a token, or with one of
another role, a caller hears 401 or 403 whatever the address says, never which filter is
wrong; with an auditor's token the filters are checked as before."""

import pytest

from wushe_service.auth import Role

ROUTES = ["/audit", "/audit.csv", "/audit/personal-data", "/audit/personal-data.csv"]
# A reversed period (refused by the period itself), a day that is none (refused by the query's
# validation), and, on the events, a type and an aggregate of no service.
WRONG = ["from=2026-12-07&to=2026-12-01", "from=2026-02-30"]
WRONG_EVENTS = ["type=needs.nothing.done", "aggregate=residents"]
NO_TOKEN = {"Authorization": ""}  # the test client sends an admin's otherwise


def _cases() -> list[tuple[str, str]]:
    events = [r for r in ROUTES if not r.startswith("/audit/personal-data")]
    pages = [r for r in ROUTES if not r.endswith(".csv")]
    return (
        [(r, q) for r in ROUTES for q in WRONG]
        + [(r, q) for r in events for q in WRONG_EVENTS]
        + [(r, "cursor=nonsense") for r in pages]
    )


@pytest.mark.parametrize(("route", "query"), _cases())
async def test_a_caller_without_a_token_hears_401_before_any_filter_is_read(
    needs, token_for, route, query
):
    anyone = await needs.get(f"{route}?{query}", headers=NO_TOKEN)
    assert anyone.status_code == 401, anyone.text
    assert anyone.headers["www-authenticate"] == "Bearer"

    wrong_token = await needs.get(f"{route}?{query}", headers={"Authorization": "Bearer nope"})
    assert wrong_token.status_code == 401, wrong_token.text

    social_worker = await token_for(Role.social_worker)
    not_an_auditor = await needs.get(f"{route}?{query}", headers=social_worker)
    assert not_an_auditor.status_code == 403, not_an_auditor.text
    assert "auditor" in not_an_auditor.json()["detail"]

    auditor = await token_for(Role.auditor)
    checked = await needs.get(f"{route}?{query}", headers=auditor)
    assert checked.status_code == 422, checked.text


async def test_a_browser_without_a_token_is_still_served_the_page(needs):
    browser = NO_TOKEN | {"Accept": "text/html"}
    page = await needs.get("/audit", headers=browser)
    assert page.status_code == 200
    assert "审计查询" in page.text
    as_json = await needs.get("/audit?format=json", headers=browser)
    assert as_json.status_code == 401

"""The needs' rows (a row per need, each a count of one) while small counts are withheld: no
rounding can apply to a row, so they are staff's, and a refusal says why and where anyone reads
the needs' counts — to a program, to a browser and on the dashboard."""

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, listening
from wushe_service.testing import serving, token_for

pytestmark = pytest.mark.timeout(600)  # the browser test's set-up may install Chromium

PAGE = {"Accept": "text/html"}


@pytest.fixture
async def public(reporting_app):
    app = reporting_app(public_min_count=3)
    async with serving(app, token="") as client:
        client.app = app
        yield client


async def test_a_program_is_told_why_and_where_the_counts_are(public):
    refused = await public.get("/api/export/needs.csv")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    detail = refused.json()["detail"]
    assert detail.startswith("table needs: a row per need, each a count of one")
    assert "below 3 are withheld" in detail
    assert "/api/figures" in detail


async def test_a_browser_is_told_in_chinese(public):
    refused = await public.get("/api/export/needs.csv?lang=zh", headers=PAGE)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert "需求清单每行是一条需求，数量少于 3 时会指向个人" in refused.text
    assert "此页面只对工作人员开放" not in refused.text  # said more precisely
    # A row per person keeps the general refusal.
    residents = await public.get("/api/export/residents.csv", headers=PAGE)
    assert residents.status_code == 401
    assert "此页面只对工作人员开放" in residents.text


async def test_a_wrong_token_is_refused_as_before_and_a_viewer_s_exports(public):
    wrong = await public.get("/api/export/needs.csv", headers={"Authorization": "Bearer wst_nope"})
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "unknown, revoked or expired token"
    viewer = await token_for(public.app.state.runtime)(Role.viewer)
    assert (await public.get("/api/export/needs.csv", headers=viewer)).status_code == 200


async def test_the_dashboard_says_the_needs_rows_are_rows_per_need(tab, reporting_app):
    async with listening(reporting_app(public_min_count=3)) as url, tab() as page:
        await page.goto(f"{url}/")
        needs = page.locator("#exports li[data-table='needs']")
        await needs.wait_for(timeout=WAIT_MS)
        assert "逐条需求" in (await needs.text_content() or "")
        residents = page.locator("#exports li[data-table='residents']")
        assert "逐人记录" in (await residents.text_content() or "")

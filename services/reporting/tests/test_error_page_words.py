"""The dashboard's periods are months, and its error pages say so: words declared by its own
routes (`error_pages.naming`), never written into the tables other services' pages read."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Query

from wushe_events.catalogue.base import PATTERN_RULES
from wushe_reporting.api import MONTH_PATTERN  # importing the service: the point of the test
from wushe_service import error_pages
from wushe_service.app import _errors
from wushe_service.strict_query import only_known_query_parameters

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_a_bad_month_on_an_export_opened_in_a_browser_is_named_as_a_month(reporting):
    first = await reporting.get("/api/export/needs.csv?from=2026-13", headers=BROWSER)
    last = await reporting.get("/api/export/needs.csv?to=26-10", headers=BROWSER)
    assert (first.status_code, last.status_code) == (422, 422)
    assert "起始月份（<code>from</code>）：应为年月，如 2026-10" in first.text
    assert "截止月份（<code>to</code>）：应为年月，如 2026-10" in last.text
    for page in (first, last):
        assert "日期" not in page.text


async def test_a_reversed_period_of_months_is_said_once(reporting):
    page = await reporting.get("/api/export/needs.csv?from=2026-11&to=2026-10", headers=BROWSER)
    program = await reporting.get("/api/export/needs.csv?from=2026-11&to=2026-10")
    assert page.status_code == 422
    assert (
        "<li>起始月份晚于截止月份：2026-11 在 2026-10 之后，请对调为 from=2026-10&amp;to=2026-11"
        in page.text
    )
    assert page.text.count("起始月份") == 1
    assert "swap them: from=2026-10&to=2026-11" in program.json()["detail"]


async def test_importing_reporting_leaves_another_services_error_page_as_it_was():
    """A page of another service that takes `from` (and even the same pattern) names it as
    typed, and neither its page nor its JSON explains the pattern in reporting's words: they
    are declared on reporting's routes, never written into the shared tables."""
    app = FastAPI(dependencies=[Depends(only_known_query_parameters)])
    _errors(app)

    @app.get("/public/history")
    async def history(
        from_: Annotated[str | None, Query(alias="from", pattern=MONTH_PATTERN)] = None,
        format: str | None = None,
    ) -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/public/history?from=2026-13&format=html")
        program = await client.get("/public/history?from=2026-13")
    assert (page.status_code, program.status_code) == (422, 422)
    assert "<li><code>from</code>：取值无效（" in page.text
    assert "月份" not in page.text
    assert "应为年月" not in page.text
    assert "a month as" not in page.text + program.text
    assert "from" not in error_pages.PARAMETERS
    assert MONTH_PATTERN not in error_pages.PATTERN_WORDS
    assert MONTH_PATTERN not in PATTERN_RULES
    for table in (error_pages.PARAMETERS, error_pages.PATTERN_WORDS, PATTERN_RULES):
        with pytest.raises(TypeError):
            table[MONTH_PATTERN] = "…"  # type: ignore[index]

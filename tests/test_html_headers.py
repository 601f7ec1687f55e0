"""Every page of every service — each GET route, found from the apps' own routes, opened as a
browser does, with a token and without — comes with the security headers: a Content-
Security-Policy that allows no unsafe source and that the page keeps to (each inline <style>
allowed by its hash, no style attribute, no inline script or handler), no framing, no
referrer; and every answer, a page or not, with nosniff."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts

from wushe_funds.main import create_app as funds_app
from wushe_funds.settings import FundsSettings
from wushe_needs.main import create_app as needs_app
from wushe_needs.settings import NeedsSettings
from wushe_reporting.main import create_app as reporting_app
from wushe_reporting.settings import ReportingSettings
from wushe_service import sheet_style, testing
from wushe_service.personal_data import new_office_key
from wushe_volunteers.main import create_app as volunteers_app
from wushe_volunteers.settings import VolunteersSettings

pytestmark = pytest.mark.timeout(600)

ANY_ID = "6a1f3f7e-8c1e-4a55-9a3c-1f1e2d3c4b5a"  # what a path names: found or not, a page
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _apps(database_url: str, nats_url: str, office: str) -> dict[str, Callable[[], FastAPI]]:
    def settings(kind: type, **fields: Any) -> Any:
        return testing.settings_for(kind, database_url, nats_url, office, **fields)

    return {
        "needs": lambda: needs_app(settings(NeedsSettings, office_key=new_office_key())),
        "volunteers": lambda: volunteers_app(
            settings(VolunteersSettings, office_key=new_office_key())
        ),
        "funds": lambda: funds_app(settings(FundsSettings)),
        "reporting": lambda: reporting_app(
            settings(ReportingSettings, reporting_month_close=False)
        ),
    }


@pytest.fixture
async def services(database_url, nats_url, office) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """The four services of one office, started, each with a client of the admin's token."""
    async with contextlib.AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(testing.serving(make()))
            for name, make in _apps(database_url, nats_url, office).items()
        }


def _gets(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Each GET route of the app (its routers' too), by its path as served."""
    found = [(c.path, c.original_route) for c in iter_route_contexts(app.routes)]
    return [(str(path), r) for path, r in found if isinstance(r, APIRoute) and "GET" in r.methods]


def _serves_a_page(route: APIRoute) -> bool:
    """A page, or a page on request (`format`): what a browser opening it must be shown."""
    takes_format = any(p.name == "format" for p in route.dependant.query_params)
    return takes_format or route.response_class is HTMLResponse


def _address(path: str) -> str:
    return re.sub(r"\{[^}]+\}", ANY_ID, path)


class _Inline(HTMLParser):
    """What a page holds inline that a policy must allow: each <style>'s text, and each style
    attribute, event handler or script element that would need 'unsafe-inline'."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.unsafe: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.unsafe += [f"<{tag} {name}=…>" for name in named if name == "style"]
        self.unsafe += [f"<{tag} {name}=…>" for name in named if name.startswith("on")]
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.unsafe.append("<script> inline")
        if tag == "style":
            self._in_style = True
            self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = self._in_style and tag != "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


def _problems(response: httpx.Response) -> list[str]:
    """What is wrong with a page's headers, or with its keeping to its policy."""
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    directives = dict(d.strip().partition(" ")[::2] for d in policy.split(";"))
    wrong = [
        f"{name}: {headers.get(name)!r}"
        for name, expected in [
            ("referrer-policy", "no-referrer"),
            ("x-content-type-options", "nosniff"),
        ]
        if headers.get(name) != expected
    ]
    if directives.get("default-src") != "'none'" or directives.get("frame-ancestors") != "'none'":
        wrong.append(f"policy: {policy!r}")
    if "'unsafe-" in policy or "form-action" not in directives:
        wrong.append(f"policy: {policy!r}")
    inline = _Inline()
    inline.feed(response.text)
    style_src = directives.get("style-src", "").split()
    wrong += [
        f"a <style> not allowed by its hash ({sheet_style.source(css)})"
        for css in inline.styles
        if sheet_style.source(css) not in style_src
    ]
    return wrong + inline.unsafe


async def test_every_page_of_every_service_has_the_security_headers_and_keeps_to_them(services):
    pages: set[str] = set()
    unanswered: set[str] = set()  # a page a browser asked for and never got, token or not
    wrong: dict[str, list[str]] = {}
    for name, client in services.items():
        app: FastAPI = client.app  # type: ignore[attr-defined]
        for path, route in _gets(app):
            if _serves_a_page(route):
                unanswered.add(f"{name} GET {path}")
            for who in ({}, {"Authorization": ""}):  # the admin's token, then none
                response = await client.get(_address(path), headers=BROWSER | who)
                where = f"{name} GET {path} ({response.status_code}, token: {not who})"
                if "text/html" not in response.headers.get("content-type", ""):
                    if response.headers.get("x-content-type-options") != "nosniff":
                        wrong[where] = ["no nosniff"]
                    continue
                pages.add(f"{name} GET {path}")
                if problems := _problems(response):
                    wrong[where] = problems
    assert wrong == {}
    assert unanswered - pages == set()
    assert len(pages) > 30  # the walk reached the pages: workbenches, lists, sheets, errors


async def test_a_page_that_names_no_policy_gets_the_strictest(services):
    app: FastAPI = services["funds"].app  # type: ignore[attr-defined]

    @app.get("/a-page-added-later", include_in_schema=False)
    async def later() -> HTMLResponse:
        return HTMLResponse("<!doctype html><title>新页面</title><p>内容</p>")

    response = await services["funds"].get("/a-page-added-later")
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_static_files_and_json_are_not_sniffed(services):
    needs = services["needs"]
    for path in ("/static/common/session.js", "/healthz", "/openapi.json"):
        assert (await needs.get(path)).headers["x-content-type-options"] == "nosniff", path

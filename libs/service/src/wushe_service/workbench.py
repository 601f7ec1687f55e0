"""The page of a service's workbench (its `workbench/index.html`, with the office's name and
the words for its codes inline), served with the headers every workbench shares: its own
script only, no framing, no referrer. The page holds no data of its own: its script calls the
API with the token the person typed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from wushe_service import security_headers, sheet_style


def headers(sheet_styles: Iterable[str] = ()) -> dict[str, str]:
    """The headers of a page whose scripts and style are its service's own files (a
    workbench, the dashboard): it calls its own service only. No 'unsafe-inline': a sheet the
    page opens is allowed its one <style> by its hash."""
    style = " ".join(["'self'", *(sheet_style.source(css) for css in sheet_styles)])
    return security_headers.headers(
        script_src="'self'", style_src=style, connect_src="'self'", img_src="'self'"
    )


def static(package: str) -> StaticFiles:
    """The workbench's own script and style (`<package>/workbench/static`)."""
    return StaticFiles(directory=str(files(package).joinpath("workbench", "static")))


def page(
    package: str,
    config: dict[str, Any],
    *,
    sheet_styles: Iterable[str] = (),
    name: str = "index.html",
) -> HTMLResponse:
    """`<package>/workbench/<name>` with `config` in place of `{{config}}` (as JSON inside a
    <script> element). `sheet_styles`: the CSS of each printed sheet of the service's own the
    page opens (`sheet_style.element`): a blob keeps the policy of the page that made it, so
    the page's policy lets exactly those <style> elements apply, and no other inline style."""
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c")  # no `</script>` ends the element early
    html = files(package).joinpath("workbench", name).read_text("utf-8")
    page = html.replace("{{config}}", text, 1)
    return HTMLResponse(page, headers=headers(sheet_styles))

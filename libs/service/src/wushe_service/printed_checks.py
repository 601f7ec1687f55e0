"""What a printed document of the office gives its reader to check it with: the address of
its public check, and that address as a QR code to scan from the paper.

Shared by every sheet the office hands over (the volunteers' service-record certificate, the
funds' donation acknowledgement), so that they all lead a phone to the same kind of address.
"""

from __future__ import annotations

from typing import Any

import segno
from fastapi import Request


def address(request: Request, route: str, **params: Any) -> str:
    """The absolute address of `route` (a route's name) with its path `params`, as the public
    reaches it: under this service's public URL (WUSHE_PUBLIC_URLS) when the office gave one
    — a sheet printed from a workbench on the office's intranet is read by a phone outside
    it — else the address this request came to."""
    settings = request.app.state.runtime.settings
    base = settings.public_urls.get(request.app.state.runtime.service)
    if base:
        return base + request.app.url_path_for(route, **params)
    return str(request.url_for(route, **params))


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline <svg> element (no image file, nothing fetched: the page
    prints as it is). Error correction M: still read from a creased or smudged sheet."""
    svg: str = segno.make(text, error="m").svg_inline(scale=3)
    return svg

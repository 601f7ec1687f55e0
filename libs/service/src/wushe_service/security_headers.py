"""The security headers of every page the services serve, from one place: a Content-Security-
Policy that loads nothing but what the page names (no inline script; an inline style only by
its hash), lets no site frame it and no form post elsewhere, with no referrer sent on; and
`nosniff` on every answer. A page with something to allow says so (`headers`); any other page
gets the strictest (`SecurityHeaders`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "Content-Security-Policy"
# Every answer: a browser takes a JSON or CSV answer for what it says it is, never a page.
NOSNIFF = {"X-Content-Type-Options": "nosniff"}


def headers(*, form_action: str = "'none'", **sources: str) -> dict[str, str]:
    """The headers of a page allowed `sources` (`script_src="'self'"`, `style_src=…`) on top of
    nothing, and to post forms to `form_action`."""
    allowed = [f"{name.replace('_', '-')} {value}" for name, value in sources.items() if value]
    policy = "; ".join(
        [
            "default-src 'none'",
            *allowed,
            "base-uri 'none'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )
    # What an injected script or style would need: never given, to any page.
    if "'unsafe-" in policy:
        raise ValueError(f"a page's policy allows an unsafe source: {policy}")
    return {CSP: policy, "Referrer-Policy": "no-referrer", **NOSNIFF}


DEFAULT = headers()  # no script, no style, nothing loaded: a page that names nothing


class SecurityHeaders:
    """Adds `nosniff` to every answer, and the strictest policy (`DEFAULT`) to a page that
    came without one of its own: a page added later is covered before it says what it needs
    (unstyled rather than open); a page's own policy (a sheet's style by its hash) is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with_defaults(list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_defaults(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    present = {name.lower(): value for name, value in raw}
    page = present.get(b"content-type", b"").lower().startswith(b"text/html")
    missing = (DEFAULT if page else NOSNIFF).items()
    return raw + [
        (name.lower().encode(), value.encode())
        for name, value in missing
        if name.lower().encode() not in present
    ]

"""The security headers of every page the services serve, from one place: a Content-Security-
Policy that loads nothing but what the page names (no inline script; an inline style only by
its hash), lets no site frame it and no form post elsewhere, with no referrer sent on; and
`nosniff`. A page with something to allow says so (`headers`)."""

from __future__ import annotations

CSP = "Content-Security-Policy"
# A browser takes an answer for what it says it is, never a page.
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

"""A printed sheet's one <style> element, and the Content-Security-Policy source that lets
exactly that style apply (its hash) and no other inline style, injected or not."""

from __future__ import annotations

import base64
import hashlib

from wushe_service import security_headers


def element(css: str) -> str:
    """`css` as the sheet's <style> element, its content exactly `css` (what `source` hashes)."""
    return f"<style>{css}</style>"


def source(css: str) -> str:
    """The `style-src` source of the <style> element `element(css)`: a sheet stays one file
    (it prints, and opens from a workbench as a blob, where no relative link to a stylesheet
    resolves), yet the policy need not allow 'unsafe-inline' for it. A hash allows no style
    attribute either ('unsafe-hashes' is not given)."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def headers(css: str, *, form_action: str = "'none'") -> dict[str, str]:
    """The headers of a page whose one style is `css`: no script, nothing loaded, no form
    posted but to `form_action`."""
    return security_headers.headers(style_src=source(css), form_action=form_action)

"""Every page with a sign-in, in every service, signs in with one form a browser's password
manager understands (Chromium's "Create amazing password forms", the HTML autofill spec): a
username field and the token's field, `current-password`, in the same form. Each says where
the token is kept in the shared sign-in's words, written once: the page keeps it in this tab
only; the browser remembers it only where the person lets it, never on a shared computer."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

PACKAGES = ("wushe_service", "wushe_needs", "wushe_volunteers", "wushe_funds", "wushe_reporting")
SIGNIN_JS = Path(str(files("wushe_service"))) / "static" / "common" / "signin.js"
DASHBOARD = Path(str(files("wushe_reporting"))) / "dashboard"


def pages() -> list[Path]:
    """Each page of the services that asks for a token (its #token field)."""
    return [
        page
        for package in PACKAGES
        for page in sorted(Path(str(files(package))).rglob("*.html"))
        if 'id="token"' in page.read_text("utf-8")
    ]


class _Forms(HTMLParser):
    """Each form's inputs (their attributes), the inputs outside any form, and the elements
    with `data-token-kept` inside a form."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[dict[str, str | None]]] = []
        self.outside: list[dict[str, str | None]] = []
        self.kept_in_form = 0
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self._in_form = True
        elif tag == "input":
            (self.forms[-1] if self._in_form else self.outside).append(fields)
        if "data-token-kept" in fields and self._in_form:
            self.kept_in_form += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def _parsed(page: Path) -> _Forms:
    parser = _Forms()
    parser.feed(page.read_text("utf-8"))
    return parser


def _token_kept() -> str:
    """The sentence the shared sign-in sets down (signin.js's TOKEN_KEPT)."""
    source = SIGNIN_JS.read_text("utf-8")
    match = re.search(r"export const TOKEN_KEPT =\s*((?:\"[^\"]*\"\s*\+?\s*)+);", source)
    assert match, "signin.js sets down TOKEN_KEPT"
    return "".join(re.findall(r'"([^"]*)"', match.group(1)))


def test_every_sign_in_page_is_found():
    names = {f"{p.parent.parent.name}/{p.parent.name}/{p.name}" for p in pages()}
    assert len(names) == 10, names


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_the_sign_in_is_one_form_of_a_username_and_a_current_password(page):
    parsed = _parsed(page)
    signing_in = [
        form
        for form in parsed.forms
        if any(f.get("autocomplete") == "current-password" for f in form)
    ]
    assert len(signing_in) == 1
    [form] = signing_in
    [token] = [f for f in form if f.get("autocomplete") == "current-password"]
    assert (token.get("id"), token.get("type"), token.get("spellcheck")) == (
        "token",
        "password",
        "false",
    )
    [username] = [f for f in form if f.get("autocomplete") == "username"]
    # Hidden: the page fills it from GET /me before it hides the form.
    assert username.get("id") == "username"
    assert "hidden" in username
    everywhere = [f for form in parsed.forms for f in form] + parsed.outside
    assert sum(f.get("autocomplete") == "current-password" for f in everywhere) == 1


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_the_sign_in_no_longer_says_the_token_is_kept_in_the_tab_only(page):
    text = page.read_text("utf-8")
    assert "只保存在本标签页中" not in text
    if page.parent.name == "workbench":  # the dashboard's words are its own (i18n.js)
        assert _parsed(page).kept_in_form == 1


def test_the_words_say_the_page_keeps_it_in_the_tab_and_the_browser_only_where_let():
    kept = _token_kept()
    for words in ("本标签页", "记住密码", "本人的设备", "公用"):
        assert words in kept


def test_the_dashboard_says_where_the_token_is_kept_in_the_same_words():
    i18n = (DASHBOARD / "static" / "i18n.js").read_text("utf-8")
    zh, en = i18n.split("\n  en:")
    [note] = re.findall(r'^    signin_note: "([^"]+)"', zh, re.MULTILINE)
    assert note.endswith(_token_kept())
    [note_en] = re.findall(r'^    signin_note: "([^"]+)"', en, re.MULTILINE)
    assert "this tab only" in note_en
    assert "never on a shared or public computer" in note_en

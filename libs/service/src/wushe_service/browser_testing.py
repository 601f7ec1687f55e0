"""Test helpers for the pages the services serve, in a real headless Chromium (tests only:
Playwright is a development dependency).

Chromium is Debian's package (/usr/bin/chromium), driven by Playwright; `chromium_or_skip`
installs it with apt-get where it can (root, or passwordless sudo) and skips, saying why,
where not. Every wait is for a condition with a deadline generous enough for a machine under
load (a browser, NATS, PostgreSQL and a service share it).

Its fixtures, for every test: `chromium`, one `browser` per module, a fresh `tab`, and
`signed_in` to a page of the service whose base URL the tests' own `served` fixture gives.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Literal

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    async_playwright,
    expect,
)

from wushe_events.testing import wait_until

CHROMIUM = Path("/usr/bin/chromium")
DEADLINE = 60.0  # seconds
WAIT_MS = int(DEADLINE * 1000)


def _install_chromium() -> str | None:
    """Install Debian's chromium when missing; the reason it cannot be, or None."""
    if CHROMIUM.exists():
        return None
    apt = shutil.which("apt-get")
    if apt is None:
        return "no apt-get on this machine"
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo"):
        prefix = ["sudo", "-n"]
    else:
        return "not root and no sudo to run apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, apt, "install", "-y", "--no-install-recommends", "chromium"]
    try:
        result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:  # package lists missing or out of date on a fresh machine
            subprocess.run(
                [*prefix, apt, "update"], env=env, capture_output=True, text=True, timeout=300
            )
            result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as error:
        return f"apt-get timed out: {error}"
    if not CHROMIUM.exists():
        return f"apt-get install chromium failed: {(result.stderr or result.stdout)[-500:]}"
    return None


def chromium_or_skip() -> str:
    """The path of Chromium, installed if need be; skips the test where it cannot be."""
    # One install at a time: the suite's workers (pytest-xdist) may all ask at once, and a
    # second apt-get would fail on dpkg's lock.
    with open(Path(tempfile.gettempdir()) / "wushe-chromium-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        reason = _install_chromium()
    if reason:
        pytest.skip(f"no Chromium at {CHROMIUM} for the browser test: {reason}")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium for a browser test (this module is a pytest plugin: `-p` in pyproject.toml)."""
    return chromium_or_skip()


PHONE = {"width": 390, "height": 844}  # a phone's screen, in CSS pixels


@pytest.fixture(scope="module")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    """One Chromium for a module's browser tests: starting one for each page took seconds on a
    busy machine. Each tab has a context of its own (`tab`)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium, args=["--disable-dev-shm-usage"]
        )
        yield launched
        await launched.close()


@pytest.fixture
def tab(browser: Browser) -> Callable[..., contextlib.AbstractAsyncContextManager[Page]]:
    """`async with tab(viewport=PHONE) as page`: a fresh tab in a context of its own (no
    storage, cache or download shared with another test's), closed with its context."""

    @contextlib.asynccontextmanager
    async def opening(**options: Any) -> AsyncIterator[Page]:
        context = await browser.new_context(**options)
        try:
            page = await context.new_page()
            page.set_default_timeout(WAIT_MS)  # every action and expectation of the page
            yield page
        finally:
            await context.close()

    return opening


@pytest.fixture
def signed_in(
    tab: Callable[..., contextlib.AbstractAsyncContextManager[Page]], served: str
) -> Callable[..., contextlib.AbstractAsyncContextManager[tuple[Page, list[str]]]]:
    """`async with signed_in("/workbench", token, phone=True) as (page, errors)`: the page at
    `path` of the service at `served` (a fixture of the service's tests: its base URL) in a
    fresh tab (on a phone's screen when told, with the `tab` options given), signed in with
    `token` as a person types it, and what goes wrong on it from its opening on (`errors_of`)."""

    @contextlib.asynccontextmanager
    async def opening(
        path: str, token: str, *, phone: bool = False, **options: Any
    ) -> AsyncIterator[tuple[Page, list[str]]]:
        async with tab(**({"viewport": PHONE} if phone else {}), **options) as page:
            errors = errors_of(page)
            await sign_in(page, f"{served}{path}", token)
            yield page, errors

    return opening


def unexpected(errors: list[str]) -> list[str]:
    """The page's errors but the browser's note of each answer refused on purpose in a test (a
    wrong token, a rule broken, nothing issued yet): the pages show those as messages."""
    return [e for e in errors if "Failed to load resource" not in e]


def bare(headers: dict[str, str]) -> str:
    """The token of a request's headers, as a person types it into a page."""
    return headers["Authorization"].removeprefix("Bearer ")


async def sign_in(page: Page, address: str, token: str) -> None:
    """Open the page at `address` and sign in with `token`, as a person would."""
    await page.goto(address)
    await page.fill("#token", token)
    await page.click("#signin-form button[type=submit]")


# The sign-in form a browser's password manager understands: a username and a current password.
CREDENTIALS_FORM = (
    "form:has(input[autocomplete=username])"
    ":has(input[type=password][autocomplete=current-password])"
)


async def kept_as_a_password(page: Page, token: str, account: str) -> None:
    """Once signed in with `token`: the page's one sign-in form, hidden (what a password manager
    takes for a sign-in that worked), names the account `account` for the password manager to
    keep the token under; the page keeps the token in the tab's sessionStorage only (no
    localStorage, no cookie). Once signed out (the page's #signout): the page has filled the
    token field with nothing, nor kept the token anywhere."""
    await expect(page.locator("#signout")).to_be_visible(timeout=WAIT_MS)
    form = page.locator(CREDENTIALS_FORM)
    await expect(form).to_have_count(1)
    await expect(form).to_be_hidden()
    assert await page.input_value("#username") == account
    assert await page.input_value("#token") == ""
    assert await _kept(page, token) == {"localStorage": 0, "sessionStorage": 1, "cookies": 0}

    await page.click("#signout")
    await expect(page.locator("#signout")).to_be_hidden(timeout=WAIT_MS)
    assert await page.input_value("#token") == ""
    assert await page.input_value("#username") == ""
    assert await _kept(page, token) == {"localStorage": 0, "sessionStorage": 0, "cookies": 0}


async def _kept(page: Page, token: str) -> dict[str, int]:
    """In how many entries of each of the page's stores `token` is."""
    stores = await page.evaluate(
        "() => [Object.values(localStorage), Object.values(sessionStorage)]"
    )
    cookies = [c["value"] for c in await page.context.cookies()]
    found = [sum(token in value for value in store) for store in [*stores, cookies]]
    return dict(zip(["localStorage", "sessionStorage", "cookies"], found, strict=True))


def errors_of(page: Page) -> list[str]:
    """What goes wrong on the page from now on, as it happens: errors on its console (a failed
    request among them) and exceptions its scripts do not catch."""
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def uncaught(error: Error) -> None:
        errors.append(str(error))

    page.on("console", console)
    page.on("pageerror", uncaught)
    return errors


# A page's own report of a violation, beside the browser's: the directive and what it refused.
_REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));"""


async def csp_violations(context: BrowserContext) -> list[str]:
    """Each Content-Security-Policy violation in any page of `context` from now on, a page it
    opens (a printed sheet, a blob) among them, as it happens: the browser's message on the
    console and the page's `securitypolicyviolation` event."""
    found: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    context.on("console", console)
    await context.add_init_script(_REPORT_VIOLATIONS)
    return found


@contextlib.asynccontextmanager
async def listening(app: FastAPI, lifespan: Literal["on", "off"] = "on") -> AsyncIterator[str]:
    """The app over real HTTP on a free port, for a browser: its base URL. `lifespan="off"`
    for an app whose lifespan a test client runs already."""
    from wushe_embedded import free_port  # the workspace's, as the test servers are

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan=lifespan)
    )
    serving = asyncio.create_task(server.serve())

    async def started() -> bool:
        if serving.done():
            serving.result()  # raises what stopped it
            raise AssertionError("the server stopped while starting")
        return server.started

    await wait_until(started, timeout=DEADLINE, message="the service listens")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving

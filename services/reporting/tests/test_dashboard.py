"""The dashboard in a real headless Chromium: it draws what the API says, drills down to a
community, speaks English on request and shows each office's freshness.

Chromium is Debian's package, driven by Playwright (`wushe_service.browser_testing`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import uuid4

import httpx
import pytest
from playwright.async_api import Page

from wushe_events.catalogue.needs import (
    ResidentRegistered,
    SurveyRecorded,
    WishClaimed,
    WishFulfilled,
    WishPosted,
)
from wushe_events.database import create_engine
from wushe_events.envelope import Envelope
from wushe_events.hub import Link
from wushe_events.subjects import stream_name
from wushe_events.testing import publish, wait_until
from wushe_reporting import labels, snapshots
from wushe_reporting.projections import PER_PERSON, TABLES
from wushe_service.auth import Role, create_token
from wushe_service.browser_testing import DEADLINE, PHONE, WAIT_MS, errors_of, listening

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium

REFRESH_MS = 15_000  # dashboard.js
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
async def dashboard(request, reporting_app) -> AsyncIterator[str]:
    """The reporting service over real HTTP on a free port, for the browser, with the settings
    a test's `@pytest.mark.settings(...)` names."""
    marker = request.node.get_closest_marker("settings")
    async with listening(reporting_app(**(marker.kwargs if marker else {}))) as url:
        yield url


@pytest.fixture
async def api(dashboard) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the dashboard's service, to read what the page should show."""
    async with httpx.AsyncClient(base_url=dashboard) as client:
        yield client


@pytest.fixture
async def seeded(dashboard, api, js, office, history, consumed) -> list[Envelope]:
    """The scripted history of the test's office, published and projected by the service —
    and by the replay it starts on its new database (its projection version not yet stored),
    which clears the figures while it runs: a page read then showed none."""
    events = history(office)
    await publish(js, *events)
    await wait_until(lambda: consumed(len(events)), timeout=DEADLINE, message="all consumed")
    await settled(api)
    return events


@pytest.fixture
def tab(tab) -> Callable[..., contextlib.AbstractAsyncContextManager[Page]]:
    """`browser_testing`'s fresh tab, on a desktop's screen unless told otherwise."""
    return lambda **options: tab(**{"viewport": DESKTOP, **options})


# What the page has drawn: every chart's series as ECharts holds them, every card's value.
RENDERED = """() => {
  const charts = {};
  for (const el of document.querySelectorAll("[data-chart]")) {
    const option = echarts.getInstanceByDom(el).getOption();
    charts[el.dataset.path] = {
      series: option.series.map(s => ({
        id: s.id, data: s.data.map(d => [d.key, d.raw ?? d.value]),
      })),
      labels: option.series[0].type === "pie" ? option.series[0].data.map(d => d.name)
              : (option.yAxis[0].type === "category" ? option.yAxis[0] : option.xAxis[0]).data,
    };
  }
  const cards = Object.fromEntries([...document.querySelectorAll("#kpis .card")]
    .map(c => [c.dataset.key, JSON.parse(c.dataset.value)]));
  return { charts, cards };
}"""


SAME_KEYS_IN_BOTH_LANGUAGES = """() => {
  const keys = (o, prefix = "") => Object.entries(o).flatMap(([k, v]) =>
    typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]).sort().join();
  return keys(I18N["zh-CN"]) === keys(I18N.en);
}"""


def dig(figures: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        figures = figures[key]
    return figures


def as_api(path: str, series: list[dict[str, Any]]) -> Any:
    """A chart's series back in the shape of the API's figure."""
    if path == "surveys.dimensions":
        out: dict[str, dict[str, int]] = {}
        for one in series:
            for dimension, value in one["data"]:
                out.setdefault(dimension, {})[one["id"]] = value
        return out
    if path.endswith("by_month"):
        months: dict[str, dict[str, Any]] = {}
        for one in series:
            for month, value in one["data"]:
                months.setdefault(month, {"month": month})[one["id"]] = value
        # A month with no facts is drawn at zero (the API lists none for it).
        return [m for m in months.values() if any(v for k, v in m.items() if k != "month")]
    return {key: value for key, value in series[0]["data"] if value}


def assert_drawn_as_the_api_says(rendered: dict[str, Any], figures: dict[str, Any]) -> None:
    assert len(rendered["charts"]) == 21
    for path, chart in rendered["charts"].items():
        expected = dig(figures, path)
        if isinstance(expected, dict) and not path.endswith("dimensions"):
            expected = {k: v for k, v in expected.items() if v}
        assert as_api(path, chart["series"]) == expected, path
    assert rendered["cards"], "no figure cards"
    for path, value in rendered["cards"].items():
        assert value == dig(figures, path), path


def assert_every_value_labelled(rendered: dict[str, Any]) -> None:
    """No enum value shows as its code (need categories are free slugs; months are months)."""
    for path, chart in rendered["charts"].items():
        if path.endswith("by_month") or path == "needs.by_category":
            continue
        shown = [key for key, _ in chart["series"][0]["data"]]
        for key, text in zip(shown, chart["labels"], strict=True):
            assert text != key, (path, key)


def assert_open_state_not_worded_as_the_card(rendered: dict[str, Any], card_word: str) -> None:
    """The card counts needs open or matched; the chart's state `open` is those not matched
    yet, named otherwise."""
    chart = rendered["charts"]["needs.by_state"]
    [open_label] = [
        text for (key, _), text in zip(chart["series"][0]["data"], chart["labels"], strict=True)
        if key == "open"
    ]  # fmt: skip
    assert card_word not in open_label, open_label


ROUNDS = """() => [...document.querySelectorAll("#rounds tbody tr")].map(tr => ({
  round_id: tr.dataset.round, state: tr.dataset.state,
  cells: [...tr.cells].map(td => td.textContent), values: [...tr.cells].map(td => td.dataset.value),
}))"""


async def assert_rounds_as_the_api_says(
    page: Page, figures: dict[str, Any], lang: str = "zh-CN"
) -> None:
    """Each round a row: its state in words, budget, its communities' envelopes, approved and
    what was paid (yuan)."""
    rows = await page.evaluate(ROUNDS)
    rounds = figures["grants"]["by_round"]
    assert rounds, "no round to show"
    assert any(r["envelope_fen"] for r in rounds), "no round parted between communities"
    assert [r["round_id"] for r in rows] == [r["round_id"] for r in rounds]
    for row, expected in zip(rows, rounds, strict=True):
        assert row["state"] == expected["state"]
        assert row["cells"][1] == labels.enum("round_state", expected["state"], lang)
        assert row["values"][2] == str(expected["budget_fen"])
        assert row["values"][3] == str(expected["envelope_fen"] or "")
        assert row["values"][6] == str(expected["approved_fen"])
        assert row["values"][8] == str(expected["disbursed_fen"])
        assert row["cells"][8] == f"{expected['disbursed_fen'] / 100:,.2f}"


GRANTS = """() => [...document.querySelectorAll("#grants tbody tr")].map(tr => ({
  application_id: tr.dataset.application,
  badges: [...tr.querySelectorAll(".badge.stale")].map(b => b.textContent),
}))"""


async def assert_grants_as_the_api_says(page: Page, figures: dict[str, Any]) -> None:
    """Each grant a row, marked when suspended and when overdue an update."""
    rows = await page.evaluate(GRANTS)
    grants = figures["grants"]["by_application"]
    assert any(g["suspended"] for g in grants), "no suspended grant to mark"
    assert [r["application_id"] for r in rows] == [g["application_id"] for g in grants]
    for row, expected in zip(rows, grants, strict=True):
        marks = ["暂停拨付"] * expected["suspended"] + ["逾三个月未更新"] * expected["update_due"]
        assert row["badges"] == marks


async def loaded(page: Page, **selection: str) -> None:
    """Wait until the page has drawn the figures of exactly this selection."""
    await page.wait_for_function(
        """expected => {
             const loaded = document.body.dataset.loaded;
             if (loaded === undefined || loaded === "none") return false;
             const got = Object.fromEntries(new URLSearchParams(loaded));
             return JSON.stringify(got) === JSON.stringify(expected);
           }""",
        arg=selection,
        timeout=WAIT_MS,
    )


async def visit(page: Page, dashboard: str, lang: str | None = None, **selection: str) -> None:
    """Open the dashboard at this selection (and `?lang=`) and wait until it has drawn it."""
    query = urlencode(selection | ({"lang": lang} if lang else {}))
    await page.goto(f"{dashboard}/?{query}" if query else f"{dashboard}/")
    await loaded(page, **selection)


async def settled(api: httpx.AsyncClient) -> dict[str, Any]:
    """/api/lag once every event is projected and acknowledged and no rebuild runs: staleness
    and the backlog stay put until something new is published, so the page and the test read
    the same (acknowledgements trail the projection a little, more so under load)."""

    async def lag() -> dict[str, Any] | None:
        got = (await api.get("/api/lag")).json()
        consumers = got["consumers"].values()  # {"error": …} until the consumer exists
        caught_up = all(c.get("pending") == c.get("ack_pending") == 0 for c in consumers)
        return got if consumers and caught_up and not got["rebuilding"] else None

    return await wait_until(lag, timeout=DEADLINE, message="/api/lag settled")


async def figures_of(api: httpx.AsyncClient, **selection: str) -> dict[str, Any]:
    response = await api.get("/api/figures", params=selection)
    response.raise_for_status()
    return response.json()


async def test_the_dashboard_draws_the_api_figures_drills_down_and_speaks_english(
    tab, dashboard, api, seeded, js, office, envelope, consumed
):
    async with tab() as page:
        errors = errors_of(page)
        elsewhere: list[str] = []  # offices run on intranets: nothing from outside
        page.on(
            "request",
            lambda r: r.url.startswith((dashboard, "data:")) or elsewhere.append(r.url),
        )

        # Everything, in Chinese by default.
        lag = await settled(api)
        await page.clock.install()
        await visit(page, dashboard)
        assert await page.get_attribute("html", "lang") == "zh-CN"
        rendered = await page.evaluate(RENDERED)
        assert_drawn_as_the_api_says(rendered, await figures_of(api))
        assert "独居老人" in rendered["charts"]["residents.by_group"]["labels"]
        # The state `open` is not the card's 待解决需求 (open and matched alike).
        assert_open_state_not_worded_as_the_card(rendered, "待解决")
        assert await page.evaluate(SAME_KEYS_IN_BOTH_LANGUAGES)
        assert_every_value_labelled(rendered)
        office_figures = await figures_of(api)
        await assert_rounds_as_the_api_says(page, office_figures)
        await assert_grants_as_the_api_says(page, office_figures)
        exports = page.locator("#exports a[data-table]")
        assert await exports.count() == len(TABLES) - len(PER_PERSON)
        per_person = page.locator("#exports li.per-person[data-table]")
        assert await per_person.count() == len(PER_PERSON)
        # In Chinese, the exports are too: headers, labels, yuan, 是/否.
        first = await exports.first.get_attribute("href") or ""
        assert first.endswith(".csv?lang=zh")
        exported = await api.get(first)
        assert exported.is_success
        assert exported.text.startswith("\ufeff办事处,")

        # Freshness: the office, its last event, a stale badge exactly when the API says so
        # (the scripted history is dated in the past, so it may well be stale).
        row = page.locator(f"#freshness tr[data-office='{office}']")
        await row.wait_for(timeout=WAIT_MS)
        assert await row.locator("td").nth(1).get_attribute("data-value")
        # Settled before the page loaded, and nothing published since: the page read this.
        stale = next(o.get("stale") for o in lag["offices"] if o["office"] == office)
        assert await row.locator(".badge.stale").count() == (1 if stale else 0)
        assert await page.get_attribute("#backlog", "data-value") == "0"
        # No hub, no link to it: its column is not shown, empty, for the one office.
        link_column = page.locator("#freshness th[data-i18n='link']")
        assert await link_column.is_hidden()

        # The page refreshes by itself: a new resident shows without a reload.
        registered = ResidentRegistered(
            resident_id=uuid4(), community_id="jiangbin", groups=["disabled"], age_band="18_59"
        )
        await publish(js, envelope(office, registered))
        await wait_until(lambda: consumed(len(seeded) + 1), timeout=DEADLINE, message="consumed")
        await page.clock.fast_forward(REFRESH_MS)
        await page.wait_for_selector(
            "#kpis .card[data-key='residents.total'][data-value='4']", timeout=WAIT_MS
        )
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), await figures_of(api))

        # Drill down: office, then a community; the URL says so and the figures follow.
        # (With one office, its communities can be chosen straight away.)
        assert await page.is_enabled("#community")
        assert await page.locator("#communities tr[data-community='fengshan']").count() == 1
        await page.select_option("#office", office)
        await loaded(page, office=office)
        whole_office = await figures_of(api, office=office)
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), whole_office)
        href = await page.locator("#exports a[data-table]").first.get_attribute("href")
        assert (href or "").endswith(f".csv?office={office}&lang=zh")  # the office's rows only
        await page.click("#communities tr[data-community='jiangbin'] td:nth-child(2) button")
        street = {"office": office, "street": "兰江街道"}
        await loaded(page, **street)
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), await figures_of(api, **street))
        await page.select_option("#community", "jiangbin")
        await loaded(page, **street, community="jiangbin")
        assert_drawn_as_the_api_says(
            await page.evaluate(RENDERED), await figures_of(api, **street, community="jiangbin")
        )
        # A community chosen: the tables that name one export its rows only.
        placed = page.locator("#exports a[data-table='needs']")
        assert parse_qs(urlsplit(await placed.get_attribute("href") or "").query) == {
            "office": [office], "street": ["兰江街道"], "community": ["jiangbin"], "lang": ["zh"]
        }  # fmt: skip
        unplaced = page.locator("#exports a[data-table='offices']")
        assert (await unplaced.get_attribute("href") or "").endswith(
            f".csv?office={office}&lang=zh"
        )
        await page.click("#communities tr[data-community='fengshan'] td:first-child button")
        place = {"office": office, "street": "阳明街道", "community": "fengshan"}
        await loaded(page, **place)
        assert await page.input_value("#street") == "阳明街道"
        assert parse_qs(urlsplit(page.url).query) == {k: [v] for k, v in place.items()}
        community = await figures_of(api, **place)
        assert community["residents"] != whole_office["residents"]
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), community)

        # A period; then the bookmarked URL gives the same view.
        await page.fill("#from", "2026-10")
        await page.fill("#to", "2026-10")
        period = {**place, "from": "2026-10", "to": "2026-10"}
        await loaded(page, **period)
        in_october = await figures_of(api, **period)
        assert (await page.text_content("#scope") or "").endswith("丰山社区 · 2026-10")
        assert in_october["surveys"] != community["surveys"]
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), in_october)
        await page.fill("#from", "2026-11")
        await page.wait_for_selector("#error:has-text('起始月份晚于截止月份')", timeout=WAIT_MS)
        # No figures stand under a period that is none: October's are gone, not kept.
        await page.wait_for_selector("body[data-loaded='none']", timeout=WAIT_MS)
        for shown in ("#kpis .card", "[data-chart]", "#rounds tbody tr", "#grants tbody tr"):
            assert await page.locator(shown).count() == 0, shown
        await page.fill("#from", "2026-10")
        await page.wait_for_selector("#error:empty", state="attached", timeout=WAIT_MS)
        await page.goto(page.url)
        await loaded(page, **period)
        assert await page.input_value("#community") == "fengshan"

        # English, remembered; a stale office (as a city hub reports it) gets a badge.
        async def stale_lag(route):
            response = await route.fetch()
            lag = await response.json()
            for one in lag["offices"]:
                link = Link(stream="WUSHE_X", lag=7, seconds_since_active=None, error="gone")
                one.update(stale=True, link=link.as_dict())
            await route.fulfill(response=response, json=lag)

        await page.click("#lang")
        await page.wait_for_selector("html[lang='en']", timeout=WAIT_MS)
        assert await page.text_content("h1") == "Wushe · Overview"
        await page.route("**/api/lag", stale_lag)
        await page.reload()
        await loaded(page, **period)
        assert await page.get_attribute("html", "lang") == "en"
        rendered = await page.evaluate(RENDERED)
        assert "Elderly living alone" in rendered["charts"]["residents.by_group"]["labels"]
        assert_open_state_not_worded_as_the_card(rendered, "Open")
        assert_drawn_as_the_api_says(rendered, in_october)
        assert_every_value_labelled(rendered)
        await assert_rounds_as_the_api_says(page, in_october, "en")
        badge = page.locator(f"#freshness tr[data-office='{office}'] .badge.stale")
        await badge.wait_for(timeout=WAIT_MS)
        assert await badge.text_content() == "Stale"
        link_text = await page.text_content("#freshness tbody") or ""
        for shown in ("events to copy: 7", "last contact: —", "error: gone"):
            assert shown in link_text
        assert await link_column.is_visible()
        await page.click("#lang")
        await page.wait_for_selector("html[lang='zh-CN']", timeout=WAIT_MS)
        assert await badge.text_content() == "离线"

        assert errors == []
        assert elsewhere == []

        # Freshness unavailable (NATS away): the figures stay, the page says so.
        await page.unroute("**/api/lag")
        await page.route("**/api/lag", lambda route: route.fulfill(status=503, json={}))
        await page.reload()
        await loaded(page, **period)
        await page.wait_for_selector("#error:has-text('503')", timeout=WAIT_MS)
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), in_october)
        assert all("503" in error for error in errors), errors
        assert json.loads(await page.evaluate("JSON.stringify(localStorage)")) == {
            "wushe.dashboard.lang": "zh-CN"
        }


async def test_the_dashboard_shows_a_snapshot_for_all_offices_and_one(
    tab, dashboard, api, js, office, history, consumed, reporting_store, database_url
):
    events = history(office)
    as_of = date(2026, 9, 20)
    await publish(js, *(e for e in events if e.time < snapshots.end_of(as_of)))
    await snapshots.take(
        reporting_store,
        database_url,
        js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        as_of=as_of,
    )
    await publish(js, *(e for e in events if e.time >= snapshots.end_of(as_of)))
    await wait_until(lambda: consumed(len(events)), timeout=DEADLINE, message="all consumed")

    async with tab() as page:
        errors = errors_of(page)
        await visit(page, dashboard)
        live = await figures_of(api)

        await page.select_option("#as-of", as_of.isoformat())
        await loaded(page, as_of=as_of.isoformat())
        kept = (await api.get(f"/api/snapshots/{as_of}")).json()
        assert kept["figures"] != live
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), kept["figures"])
        assert "2026-09-20 期末" in (await page.text_content("#scope") or "")
        assert "期末快照" in (await page.text_content("#stocks-note") or "")
        for field in ("#street", "#community", "#from", "#to"):
            assert await page.is_disabled(field), field

        await page.select_option("#office", office)
        await loaded(page, office=office, as_of=as_of.isoformat())
        one = (await api.get(f"/api/snapshots/{as_of}", params={"office": office})).json()
        assert_drawn_as_the_api_says(await page.evaluate(RENDERED), one["figures"])

        await page.select_option("#as-of", "")
        await loaded(page, office=office)
        assert_drawn_as_the_api_says(
            await page.evaluate(RENDERED), await figures_of(api, office=office)
        )
        assert await page.is_enabled("#from")
        assert errors == []


async def test_a_table_with_a_row_per_person_downloads_with_a_token(
    tab, dashboard, seeded, office, database_url, tmp_path
):
    engine = create_engine(database_url, "reporting")
    try:
        token = await create_token(engine, role=Role.auditor, name="审计员", office=office)
    finally:
        await engine.dispose()

    async with tab(accept_downloads=True) as page:
        await visit(page, dashboard)
        residents = page.locator("#exports li.per-person[data-table='residents']")
        assert await residents.locator("button").count() == 0  # no token: said, not offered
        # Where to give it: the field above, not "through the API" when the page takes it.
        said = await residents.text_content() or ""
        assert said.endswith("逐人记录：在上方填写令牌后可下载"), said

        await page.fill("#export-token", token)
        async with page.expect_download() as started:
            await residents.locator("button").click()
        download = await started.value
        assert download.suggested_filename == "residents.csv"
        saved = tmp_path / "residents.csv"
        await download.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
        assert "居民编号".encode() in content.splitlines()[0]  # the dashboard is in Chinese
        assert len(content.splitlines()) == 1 + 4  # the header and the four residents
        assert await page.evaluate("sessionStorage.getItem('wushe.dashboard.token')") == token
        assert await page.evaluate("localStorage.getItem('wushe.dashboard.token')") is None

        await page.fill("#export-token", "wst_not-a-token")
        await residents.locator("button").click()
        await page.wait_for_selector("#error:has-text('401')", timeout=WAIT_MS)


# The texts ECharts has drawn on a chart's canvas (labels it dropped as overlapping are not).
DRAWN_TEXT = """path => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-path='${path}']`));
  const texts = [];
  const visit = el => {
    if (el.ignore || el.invisible) return;
    if (typeof el.style?.text === "string") texts.push(el.style.text);
    for (const child of el.childrenRef?.() ?? []) visit(child);
  };
  chart.getZr().storage.getDisplayList(true).forEach(visit);
  return texts.join("");
}"""


async def test_a_shared_link_keeps_its_language_and_the_exports_follow_every_filter(
    tab, dashboard, api, seeded, office
):
    place = {"office": office, "street": "阳明街道", "community": "fengshan"}
    chosen = {**place, "from": "2026-09", "to": "2026-10"}

    async with tab(viewport={"width": 1400, "height": 900}) as page:
        errors = errors_of(page)
        await visit(page, dashboard, **chosen)

        # Every age band is named under its bar, the last one too.
        drawn = (await page.evaluate(DRAWN_TEXT, "residents.by_age_band")).replace(" ", "")
        for band in ("14岁以下", "14–17岁", "70–79岁", "80岁及以上"):
            assert band in drawn, band

        # Each export link takes every filter its table takes, and gives the API's rows.
        async def export_of(table: str) -> dict[str, list[str]]:
            href = await page.locator(f"#exports a[data-table='{table}']").get_attribute("href")
            return parse_qs(urlsplit(href or "").query)

        # In Chinese, in Chinese (?lang=zh); in English with the codes programs read.
        as_query = {k: [v] for k, v in chosen.items()} | {"lang": ["zh"]}
        assert await export_of("needs") == as_query
        assert await export_of("communities") == {k: [v] for k, v in place.items()} | {
            "lang": ["zh"]
        }
        assert await export_of("fund_flows") == {
            k: v for k, v in as_query.items() if k in ("office", "from", "to", "lang")
        }
        assert await export_of("teams") == {"office": [office], "lang": ["zh"]}
        href = await page.locator("#exports a[data-table='needs']").get_attribute("href")
        assert (await api.get(f"/{href}")).text == (
            await api.get("/api/export/needs.csv", params={**chosen, "lang": "zh"})
        ).text

        # The money cards' * is explained on the page; withdrawn tranches: a count and an amount.
        note = page.locator("#money-note")
        assert await note.is_visible()
        assert (await note.text_content() or "").startswith("* 本街道/社区自有基金")
        cards = await page.evaluate(RENDERED)
        figures = await figures_of(api, **chosen)
        assert cards["cards"]["disbursements.cancelled"] == figures["disbursements"]["cancelled"]
        label = page.locator("#kpis .card[data-key='disbursements.cancelled'] .label")
        assert await label.text_content() == "已撤回拨付"
        # The money chart is the place's own funds' too, starred as the cards are.
        caption = page.locator("[data-path='money.by_month']").locator("xpath=..")
        assert await caption.locator("figcaption").text_content() == "资金流入与拨付（按月，元） *"
        assert await page.text_content("#figure-hours-by-month figcaption") == (
            "已核实服务时长（按月，小时）"
        )

        # ?lang=en wins over the language this browser chose last, and stays in the URL.
        await page.evaluate("localStorage.setItem('wushe.dashboard.lang', 'zh-CN')")
        await visit(page, dashboard, "en", **chosen)
        assert await page.get_attribute("html", "lang") == "en"
        assert (await note.text_content() or "").startswith("* The money of this street")
        assert await label.text_content() == "Tranches withdrawn"
        assert await export_of("teams") == {"office": [office]}
        assert (
            await page.text_content("#kpis .card[data-key='disbursements.cancelled_fen'] .label")
            == "Amount withdrawn"
        )
        await page.select_option("#community", "xinjian")
        await loaded(page, **{**chosen, "community": "xinjian"})
        assert parse_qs(urlsplit(page.url).query)["lang"] == ["en"]

        # Switching says so in the URL: a link copied then opens in the language shown.
        await page.click("#lang")
        await page.wait_for_selector("html[lang='zh-CN']", timeout=WAIT_MS)
        assert parse_qs(urlsplit(page.url).query)["lang"] == ["zh"]
        await page.reload()
        await loaded(page, **{**chosen, "community": "xinjian"})
        assert await page.get_attribute("html", "lang") == "zh-CN"
        assert errors == []


async def test_a_link_with_a_month_left_blank_opens_with_no_bound_on_that_side(tab, dashboard):
    async with tab() as page:
        errors = errors_of(page)
        await page.goto(f"{dashboard}/?from=&to=2026-09&street=")
        await loaded(page, to="2026-09")
        assert await page.text_content("#error") == ""
        href = await page.locator("#exports a[data-table='needs']").get_attribute("href")
        assert parse_qs(urlsplit(href or "").query) == {"to": ["2026-09"], "lang": ["zh"]}
        opened = await page.request.get(f"{dashboard}/{href}")
        assert opened.ok
        # Named as the API names it: up to September, not the month of September alone.
        link = page.locator("#exports a[data-table='needs']")
        assert await link.get_attribute("download") == "needs-to-2026-09.csv"
        assert 'filename="needs-to-2026-09.csv"' in opened.headers["content-disposition"]
        assert errors == []


# Each chart: whether its figure is folded, the height ECharts draws at, and what it says.
FOLDED = """() => Object.fromEntries([...document.querySelectorAll("figure")].map(f => {
  const el = f.querySelector("[data-chart]");
  return [el.dataset.path, [f.classList.contains("nothing"),
                            echarts.getInstanceByDom(el).getHeight(),
                            f.querySelector(".empty").textContent]];
}))"""


async def test_an_office_before_its_first_event_reads_zeros_without_an_error(
    tab, dashboard, api, js, office, envelope, consumed
):
    async with tab() as page:
        errors = errors_of(page)
        await page.clock.install()
        await visit(page, dashboard)
        row = page.locator(f"#offices tr[data-office='{office}']")
        assert await row.count() == 1  # listed, with zeros
        assert await row.locator("td").nth(2).text_content() == "0"
        rendered = await page.evaluate(RENDERED)
        assert_drawn_as_the_api_says(rendered, await figures_of(api))
        assert rendered["cards"]["residents.total"] == 0
        assert await page.get_attribute("body", "data-error") == ""
        # Nothing to draw: each chart folds away, 暂无数据 in its place, not under empty axes.
        folded = await page.evaluate(FOLDED)
        assert len(folded) == 21
        assert all(shown == [True, 0, "暂无数据"] for shown in folded.values()), folded

        # The first resident: their chart unfolds at the next refresh, drawn at its full size.
        registered = ResidentRegistered(
            resident_id=uuid4(), community_id="fengshan", groups=["elderly"], age_band="70_79"
        )
        await publish(js, envelope(office, registered))
        await wait_until(lambda: consumed(1), timeout=DEADLINE, message="consumed")
        await page.clock.fast_forward(REFRESH_MS)
        await page.wait_for_selector("#figure-residents-by-group:not(.nothing)", timeout=WAIT_MS)
        unfolded = (await page.evaluate(FOLDED))["residents.by_group"]
        assert unfolded == [False, 260, ""], unfolded
        assert (await page.evaluate(FOLDED))["surveys.by_method"] == [True, 0, "暂无数据"]
        assert errors == []


# What makes the page wider than the window: the elements sticking out of it, outermost first
# (a table inside a box that scrolls sideways does not).
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right <= width + 0.5) continue;
    let scrolls = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const inside = up.getBoundingClientRect().right <= width + 0.5;
      if (getComputedStyle(up).overflowX !== "visible" && inside) scrolls = true;
    }
    if (!scrolls) out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, out };
}"""


async def test_on_a_phone_the_page_is_no_wider_than_the_screen_and_figures_stand_two_a_row(
    tab, dashboard, seeded, office
):
    async with tab(viewport=PHONE) as page:
        errors = errors_of(page)
        for lang in ("zh", "en"):
            # An office chosen: its communities' table is on the page too.
            await visit(page, dashboard, lang, office=office)
            await page.wait_for_selector("#communities tbody tr", timeout=WAIT_MS)
            measured = await page.evaluate(TOO_WIDE)
            assert measured["scrollWidth"] <= measured["innerWidth"], (lang, measured)
            # Two figures a row: one a row, the cards took four screens before the first chart.
            tops = await page.eval_on_selector_all(
                "#kpis .card", "cards => cards.map(c => c.getBoundingClientRect().top)"
            )
            assert tops[0] == tops[1] < tops[2] == tops[3], (lang, tops[:4])
            # The wide tables scroll sideways in their own box.
            rounds = page.locator("#rounds")
            box = rounds.locator("xpath=..")
            assert await box.evaluate("el => el.scrollWidth > el.clientWidth"), lang
        assert errors == []


OFFICE_NAME = "余姚市社会工作服务指导中心"


@pytest.mark.settings(office_name=OFFICE_NAME)
async def test_the_office_shows_by_its_name_where_it_is_configured(
    tab, dashboard, api, seeded, office
):
    name = OFFICE_NAME
    async with tab() as page:
        [row] = (await api.get("/api/overview")).json()["offices"]
        assert (row["office"], row["name"]) == (office, name)
        errors = errors_of(page)
        await visit(page, dashboard, office=office)
        await page.wait_for_selector("#places-title:not(:empty)", timeout=WAIT_MS)
        assert await page.locator(f"#office option[value='{office}']").text_content() == name
        assert name in (await page.text_content("#scope") or "")
        assert await page.text_content("#places-title") == f"{name} 各社区/村"
        for table in ("offices", "freshness"):
            first = page.locator(f"#{table} tr[data-office='{office}'] td").first
            await first.wait_for(timeout=WAIT_MS)
            assert await first.text_content() == name, table
        assert office not in (await page.text_content("#scope") or "")
        assert errors == []


async def test_a_place_or_month_not_known_is_named_in_the_pages_language_with_no_retry(
    tab, dashboard
):
    async with tab() as page:
        for query, said in [
            ("community=nosuch&lang=zh", "找不到所选的社区/村“nosuch”，请重新选择（404）"),
            ("office=nosuch&lang=zh", "找不到所选的办事处“nosuch”，请重新选择（404）"),
            ("from=2026-13&lang=zh", "所选的起始月份“2026-13”无效，请重新选择（422）"),
            ("as_of=2026-01-31&lang=zh", "找不到所选的数据时点“2026-01-31”，请重新选择（404）"),
            ("as_of=2026-02-30&lang=zh", "所选的数据时点“2026-02-30”无效，请重新选择（422）"),
            (
                "community=nosuch&lang=en",
                "Community / village “nosuch” is not known; choose another (404)",
            ),
            (
                "street=nowhere&lang=en",
                "Street / town “nowhere” is not known; choose another (404)",
            ),
        ]:
            await page.goto(f"{dashboard}/?{query}")
            await page.wait_for_selector("#error:not(:empty)", timeout=WAIT_MS)
            # Which filter, in the page's words; no retry promised, the server's English off.
            assert await page.text_content("#error") == said, query


async def test_a_month_with_no_surveys_is_drawn_at_zero_between_the_others(
    tab, dashboard, seeded, js, office, envelope, consumed
):
    resident = next(e for e in seeded if e.type == "wushe.needs.resident.registered.v1")
    december = SurveyRecorded(
        survey_id=uuid4(),
        resident_id=resident.data["resident_id"],
        community_id=resident.data["community_id"],
        method="home_visit",
        surveyed_at=datetime(2026, 12, 10, 2, tzinfo=UTC),
        dimensions={"physical": 1, "psychological": 1, "material": 1, "spiritual": 1},
    )
    await publish(js, envelope(office, december))
    await wait_until(lambda: consumed(len(seeded) + 1), timeout=DEADLINE, message="consumed")
    async with tab() as page:
        await visit(page, dashboard)
        chart = (await page.evaluate(RENDERED))["charts"]["surveys.by_month"]
        # Surveys in September, October and December: November is drawn, with none.
        assert chart["labels"] == ["2026-09", "2026-10", "2026-11", "2026-12"]
        assert [v for _, v in chart["series"][0]["data"]][2] == 0


# The text of a chart's tooltip over one of its items (for a pie, a slice; else a category).
TOOLTIP = """([path, index]) => {
  const el = document.querySelector(`[data-path='${path}']`);
  const chart = echarts.getInstanceByDom(el);
  chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: index });
  return el.innerText;
}"""


async def test_money_on_a_chart_reads_as_on_the_cards_and_a_share_with_one_decimal(
    tab, dashboard, api, seeded
):
    async with tab() as page:
        errors = errors_of(page)
        await settled(api)
        await visit(page, dashboard)
        figures = await figures_of(api)

        # Each month's money on its bar and in its tooltip: ¥15,000.00, as a card says it.
        raised = figures["money"]["by_month"][0]["raised_fen"]  # the chart's first month
        assert raised % 100_000 == 0, "thousands of yuan: a comma where bare has none"
        money = f"¥{raised / 100:,.2f}"
        drawn = await page.evaluate(DRAWN_TEXT, "money.by_month")
        assert money in drawn, drawn
        assert str(raised // 100) not in drawn, drawn  # not bare, as ECharts has it
        assert money in await page.evaluate(TOOLTIP, ["money.by_month", 0])
        paid = figures["disbursements"]["by_status_fen"]["paid"]
        assert f"¥{paid / 100:,.2f}" in await page.evaluate(
            DRAWN_TEXT, "disbursements.by_status_fen"
        )

        # A share has one decimal, on a card (66.7%, not 66.67%) as on a pie's slice (2 of 3).
        coverage = figures["needs"]["coverage"]
        card = page.locator("#kpis .card[data-key='needs.coverage'] .value")
        assert await card.text_content() == f"{coverage * 100:.1f}%"
        statuses = figures["volunteers"]["by_status"]
        assert (statuses["active"], sum(statuses.values())) == (2, 3)
        tip = await page.evaluate(TOOLTIP, ["volunteers.by_status", 0])
        assert f"{labels.enum('volunteer_status', 'active', 'zh-CN')}：2（66.7%）" in tip, tip
        assert errors == []


# Each slice of a pie as drawn: the lines of its label (as laid out, after any truncation),
# whether the label is shown, and whether it lies within the chart; and the legend, if any.
SLICES = """path => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-path='${path}']`));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const slices = [];
  for (let i = 0; i < data.count(); i++) {
    const text = data.getItemGraphicEl(i).getTextContent();
    const lines = (text.childrenRef?.() ?? []).map(span => span.style.text)
      .filter(line => typeof line === "string");
    const box = text.getBoundingRect().clone();
    box.applyTransform(text.getComputedTransform());
    const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= chart.getWidth()
                   && box.y + box.height <= chart.getHeight();
    slices.push({ name: data.getName(i), lines, shown: !text.ignore && !text.invisible, inside });
  }
  return { slices, legends: chart.getOption().legend ?? [] };
}"""


async def test_each_slice_of_a_pie_is_named_with_its_count_on_a_phone_and_a_laptop(
    tab, dashboard, api, seeded
):
    await settled(api)
    figures = await figures_of(api)
    methods = figures["surveys"]["by_method"]
    assert {"questionnaire", "spot_check"} <= {m for m, n in methods.items() if n}
    for viewport, lang, code in [
        (PHONE, "zh", "zh-CN"),
        ({"width": 1366, "height": 900}, "en", "en"),
    ]:
        async with tab(viewport=viewport) as page:
            errors = errors_of(page)
            await visit(page, dashboard, lang)
            for path in ("surveys.by_method", "volunteers.by_status"):
                drawn = await page.evaluate(SLICES, path)
                # No legend to page through ("1/2"): the slices say what they are.
                assert all(legend.get("type") != "scroll" for legend in drawn["legends"]), path
                tally = {k: n for k, n in dig(figures, path).items() if n}
                enum = "method" if path == "surveys.by_method" else "volunteer_status"
                # Its name in full (a long one may wrap), then its count.
                expected = {labels.enum(enum, k, code): str(n) for k, n in tally.items()}
                assert {
                    "".join(s["lines"][:-1]).replace(" ", ""): s["lines"][-1]
                    for s in drawn["slices"]
                } == {name.replace(" ", ""): n for name, n in expected.items()}, (lang, drawn)
                assert all(s["shown"] and s["inside"] for s in drawn["slices"]), (lang, drawn)
            assert errors == []


async def test_a_rounds_community_envelopes_are_punctuated_in_the_pages_language(
    tab, dashboard, api, seeded
):
    async with tab() as page:
        errors = errors_of(page)
        await settled(api)
        figures = await figures_of(api)
        [parted] = [r for r in figures["grants"]["by_round"] if r["envelope_fen"]]
        part = parted["communities"][0]
        budget, approved = (f"{part[k] / 100:,.2f}" for k in ("budget_fen", "approved_fen"))
        envelope = page.locator(
            f"#rounds tr[data-round='{parted['round_id']}'] td:nth-child(4) span"
        )
        for lang, said in [
            ("en", f"{budget} (approved {approved})"),
            ("zh", f"{budget}（获批 {approved}）"),
        ]:
            await visit(page, dashboard, lang)
            title = await envelope.get_attribute("title") or ""
            assert said in title, (lang, title)
            if lang == "en":
                assert not {"（", "）"} & set(title), title
        assert errors == []


async def test_a_screen_reader_hears_each_charts_figures_not_nan(tab, dashboard, api, seeded):
    async with tab() as page:
        errors = errors_of(page)
        await settled(api)
        figures = await figures_of(api)
        dimensions = figures["surveys"]["dimensions"]
        # Its title says what the figures count: surveys (a resident visited twice, twice).
        for lang, code, title, said, items, series in [
            ("zh", "zh-CN", "需求评估维度等级分布（调研次数，不含抽查）", "{}。{}。", "，", "；"),
            (
                "en",
                "en",
                "Assessment levels by dimension (surveys, spot checks excluded)",
                "{}. {}.",
                ", ",
                "; ",
            ),
        ]:
            await visit(page, dashboard, lang)
            heard = await page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
              "[data-chart]")].map(el => [el.dataset.path, el.getAttribute("aria-label")]))""")
            assert len(heard) == 21
            assert not [path for path, text in heard.items() if "NaN" in text], heard
            colon = "：" if lang == "zh" else ": "
            levels = [
                labels.enum("level", level, code) + colon + items.join(
                    f"{labels.enum('dimension', d, code)} {dimensions[d].get(level, 0)}"
                    for d in ("physical", "psychological", "material", "spiritual")
                )
                for level in ("0", "1", "2", "3")
            ]  # fmt: skip
            assert heard["surveys.dimensions"] == said.format(title, series.join(levels))
            # Each chart's data table heads its first column too (a cell is named by it).
            heads = await page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
              "figure")].map(f => [f.querySelector("[data-chart]").dataset.path,
                                   f.querySelector("table th").textContent]))""")
            assert len(heads) == 21
            assert all(heads.values()), heads
            month = "月份" if lang == "zh" else "Month"
            assert heads["surveys.by_month"] == heads["money.by_month"] == month
            # Tabbed to, each table's toggle is heard with its chart's title.
            toggles = await page.evaluate("""() => [...document.querySelectorAll("figure")].map(
              f => [f.querySelector("summary").getAttribute("aria-label"),
                    f.querySelector("figcaption").textContent])""")
            table = "数据表：" if lang == "zh" else "Data table: "
            assert all(heard == table + caption for heard, caption in toggles), toggles
            # Money as the cards say it.
            paid = figures["disbursements"]["by_status_fen"]["paid"]
            assert f"¥{paid / 100:,.2f}" in heard["disbursements.by_status_fen"]
        assert errors == []


async def test_the_tables_name_the_active_volunteers_as_the_card_does(
    tab, dashboard, seeded, office
):
    async with tab() as page:
        errors = errors_of(page)
        for lang, name in [("zh", "活跃志愿者"), ("en", "Active volunteers")]:
            await visit(page, dashboard, lang, office=office)
            await page.wait_for_selector("#communities tbody tr", timeout=WAIT_MS)
            card = "#kpis .card[data-key='volunteers.active'] .label"
            assert await page.text_content(card) == name
            for table in ("offices", "communities"):
                head = f"#{table} th[data-i18n='volunteers']"
                assert await page.text_content(head) == name, (lang, table)
        assert errors == []


# Each chart's category names and every text drawn on its canvas, one entry a line (a name
# wrapped gives several).
DRAWN_LINES = """() => Object.fromEntries([...document.querySelectorAll("[data-chart]")].map(el => {
  const chart = echarts.getInstanceByDom(el);
  const option = chart.getOption();
  const axis = option.series[0].type === "pie" ? null
    : (option.yAxis[0].type === "category" ? option.yAxis[0] : option.xAxis[0]);
  const texts = [];
  const visit = e => {
    if (e.ignore || e.invisible) return;
    if (typeof e.style?.text === "string") texts.push(e.style.text);
    for (const child of e.childrenRef?.() ?? []) visit(child);
  };
  chart.getZr().storage.getDisplayList(true).forEach(visit);
  return [el.dataset.path, { names: axis?.data ?? [], texts }];
}))"""


async def test_in_english_no_chart_cuts_a_word_of_its_names_on_a_phone_or_a_laptop(tab, dashboard):
    for viewport in (PHONE, DESKTOP):
        async with tab(viewport=viewport) as page:
            errors = errors_of(page)
            await visit(page, dashboard, "en")
            drawn = await page.evaluate(DRAWN_LINES)
            assert "Psychological" in drawn["surveys.dimensions"]["names"]
            for path, chart in drawn.items():
                words = {word for name in chart["names"] for word in name.split()}
                pieces = {p for text in chart["texts"] for p in text.split() if p.isalpha()}
                # "Psychologic" / "al" under a column too narrow for the word.
                cut = {p for p in pieces - words if any(p in word for word in words)}
                assert not cut, (viewport, path, cut)
            assert errors == []


async def test_the_keyboard_keeps_its_place_on_a_refresh_and_a_place_chosen_leads_up_to_its_figures(
    tab, dashboard, seeded, office
):
    async with tab() as page:
        errors = errors_of(page)
        await page.clock.install()
        await visit(page, dashboard)
        # The time of the last refresh is not read out every 15 seconds.
        assert await page.get_attribute("#updated", "aria-live") is None

        # The refresh draws the export links anew: the focus stays on the one it was on.
        link = "#exports a[data-table='needs']"
        await page.focus(link)
        await page.eval_on_selector(link, "a => { a.dataset.before = 'refresh'; }")
        await page.clock.fast_forward(REFRESH_MS)
        await page.wait_for_selector(f"{link}:not([data-before])", timeout=WAIT_MS)
        assert await page.evaluate("document.activeElement.dataset.table") == "needs"

        # A community chosen in the table, far below the figures: the focus goes up to the
        # scope line, which says whose they are now, and the page with it.
        await page.focus("#communities tr[data-community='fengshan'] td:first-child button")
        await page.keyboard.press("Enter")
        await loaded(page, office=office, street="阳明街道", community="fengshan")
        assert await page.evaluate("document.activeElement.id") == "scope"
        assert "丰山社区" in (await page.text_content("#scope") or "")
        top = await page.evaluate("document.getElementById('scope').getBoundingClientRect().top")
        assert 0 <= top < DESKTOP["height"] / 2, top
        assert errors == []


async def test_the_assessment_levels_go_from_grey_to_the_pages_red_as_they_grow_severe(
    tab, dashboard, seeded
):
    async with tab() as page:
        errors = errors_of(page)
        await visit(page, dashboard)
        colours = await page.evaluate("""() => {
          const el = document.querySelector("[data-path='surveys.dimensions']");
          const model = echarts.getInstanceByDom(el).getModel();
          return model.getSeries().map(s => [s.id, s.getData().getVisual("style").fill]);
        }""")
        red = await page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
        # The legend's 3 重度 is the red, not 1 轻度 (the general palette's second colour).
        assert [level for level, _ in colours] == ["0", "1", "2", "3"]
        assert [fill == red for _, fill in colours] == [False, False, False, True], colours
        assert errors == []


async def test_figures_behind_without_a_hub_are_said_behind_not_offline(
    tab, dashboard, seeded, office
):
    async def behind(route):  # events waiting to be projected behind an old last one
        response = await route.fetch()
        lag = await response.json()
        for one in lag["offices"]:
            one.update(stale=True)  # and no link: there is no hub
        await route.fulfill(response=response, json=lag)

    async with tab() as page:
        errors = errors_of(page)
        await page.route("**/api/lag", behind)
        badge = page.locator(f"#freshness tr[data-office='{office}'] .badge.stale")
        for lang, said in [("zh", "滞后"), ("en", "Behind")]:
            await visit(page, dashboard, lang)
            await badge.wait_for(timeout=WAIT_MS)
            assert await badge.text_content() == said, lang
        assert errors == []


async def test_a_wish_claimed_within_the_hour_reads_in_minutes_in_either_language(
    tab, dashboard, api, js, office, envelope, consumed
):
    wish, posted = uuid4(), datetime(2026, 10, 12, 2, tzinfo=UTC)
    events = [
        WishPosted(
            wish_id=wish, community_id="fengshan", resident_id=None, category="daily-goods",
            title="心愿", estimated_value_fen=5_000, deadline=posted + timedelta(days=30),
        ),
        WishClaimed(
            wish_id=wish, community_id="fengshan", claimant_id=uuid4(),
            claimant_kind="volunteer",
        ),
        WishFulfilled(wish_id=wish, community_id="fengshan"),
    ]  # fmt: skip
    after = [timedelta(0), timedelta(minutes=25), timedelta(hours=2, minutes=30)]
    await publish(
        js, *(envelope(office, e, 1 + i, posted + after[i]) for i, e in enumerate(events))
    )
    await wait_until(lambda: consumed(len(events)), timeout=DEADLINE, message="consumed")
    await settled(api)
    wishes = (await figures_of(api))["wishes"]
    assert wishes["median_hours_to_claim"] == 0.42  # to the hundredth: 25 minutes, not 0.4
    claim = "#kpis .card[data-key='wishes.median_hours_to_claim'] .value"
    fulfil = "#kpis .card[data-key='wishes.median_hours_to_fulfil'] .value"
    async with tab() as page:
        for lang, minutes, hours in [("zh", "25 分钟", "2.5 小时"), ("en", "25 min", "2.5 h")]:
            await visit(page, dashboard, lang=lang)
            # Under an hour in minutes (a few minutes read 0 小时 at 0.1 h); else in hours.
            assert await page.locator(claim).text_content() == minutes
            assert await page.locator(fulfil).text_content() == hours

"""The dashboard marks a rounded count as the needs' public list does (约3; in English "about
3"), in a real headless Chromium with WUSHE_PUBLIC_MIN_COUNT 3: the cards, a chart's labels and
data table, the offices' and communities' tables — a share, volunteers and zero as they are, and
every figure exact and unmarked once signed in."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.async_api import Page

from wushe_service.auth import Role
from wushe_service.browser_testing import WAIT_MS, errors_of

from .test_dashboard import loaded
from .test_dashboard_small_cells import card, visit
from .test_dashboard_small_cells import dashboard as dashboard
from .test_dashboard_small_cells import seeded as seeded
from .test_dashboard_small_cells import token as token

pytestmark = pytest.mark.timeout(600)  # the first test's set-up may install Chromium


async def month_labels(page: Page) -> list[str]:
    """What the bars of surveys by month say above them, by their own formatter."""
    return await page.evaluate(
        """() => {
            const el = document.querySelector("[data-path='surveys.by_month']");
            const [series] = echarts.getInstanceByDom(el).getOption().series;
            return series.data.map(d => series.label.formatter({ data: d }));
        }"""
    )


async def test_rounded_counts_read_about_in_cards_charts_and_tables(tab, dashboard, seeded, office):
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        errors = errors_of(page)
        await visit(page, dashboard, office=office)
        assert await card(page, "residents.total").text_content() == "约3"
        assert await card(page, "residents.due_visit").text_content() == "约3"
        assert await card(page, "surveys.total").text_content() == "约3"
        assert await card(page, "needs.open").text_content() == "<3"
        assert await card(page, "volunteers.active").text_content() == "2"  # not about residents
        assert await card(page, "money.funds").text_content() == "2"
        # Surveys by month: September's withheld, October's rounded, in the table and the bars.
        by_month = page.locator("#figure-surveys-by-month table td")
        assert await by_month.all_text_contents() == ["<3", "约3"]
        assert await month_labels(page) == ["<3", "约3"]
        office_row = page.locator(f"#offices tr[data-office='{office}'] td")
        # Its figures; then 数据截至, the moment they count up to.
        assert (await office_row.all_text_contents())[:8] == [
            office, "3", "约3", "约3", "<3", "2", "3.5", "15,200.00"
        ]  # fmt: skip
        fengshan = page.locator("#communities tr[data-community='fengshan'] td")
        assert await fengshan.all_text_contents() == [
            "丰山社区",
            "阳明街道",
            "<3",
            "约3",
            "<3",
            "2",
            "<3",
        ]
        xinjian = page.locator("#communities tr[data-community='xinjian'] td")
        assert await xinjian.all_text_contents() == ["新建村", "阳明街道", "0", "0", "0", "0", "0"]
        note = await page.locator("#withheld-note").text_content() or ""
        assert "关于居民的其他数字都取最接近的 3 的倍数，写作“约”" in note
        assert errors == []


async def test_in_english_a_rounded_count_reads_about(tab, dashboard, seeded, office):
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        errors = errors_of(page)
        await page.goto(f"{dashboard}/?{urlencode({'office': office, 'lang': 'en'})}")
        await loaded(page, office=office)
        assert await card(page, "residents.total").text_content() == "about 3"
        assert await card(page, "needs.open").text_content() == "<3"
        by_month = page.locator("#figure-surveys-by-month table td")
        assert await by_month.all_text_contents() == ["<3", "about 3"]
        assert await month_labels(page) == ["<3", "about 3"]
        row = page.locator(f"#offices tr[data-office='{office}'] td")
        assert (await row.all_text_contents())[2:5] == ["about 3", "about 3", "<3"]
        note = await page.locator("#withheld-note").text_content() or ""
        assert "rounded to the nearest multiple of 3, marked “about”" in note
        assert errors == []


async def test_signed_in_every_count_is_exact_and_unmarked(tab, dashboard, seeded, office, token):
    viewer = await token(Role.viewer)
    async with tab(viewport={"width": 1280, "height": 900}) as page:
        await visit(page, dashboard, office=office)
        await page.click("#signin-open")
        await page.fill("#token", viewer)
        await page.click("#signin-form button[type=submit]")
        exact = "#kpis .card[data-key='needs.open'] .value:not(:text-is('<3'))"
        await page.wait_for_selector(exact, timeout=WAIT_MS)
        assert await card(page, "residents.total").text_content() == "3"
        by_month = page.locator("#figure-surveys-by-month table td")
        assert await by_month.all_text_contents() == ["1", "3"]
        assert await month_labels(page) == ["1", "3"]

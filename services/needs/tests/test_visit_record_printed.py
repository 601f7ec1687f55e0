"""The home-visit record (入户走访记录表) printed on A4, as a social worker prints it for the
case file: a visit with a few needs fits one sheet (the signature lines not alone on a second),
and its tables, the signature lines among them, are as wide as the page, not shrunk to their
words by the phone's rule of the common style (an A4 page is narrower than 720px); on a phone's
screen too. In a real Chromium, against the real PostgreSQL and NATS."""

from __future__ import annotations

import re

import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import PHONE

# Chromium's default print margins (0.4in): the page is 794 - 77 = 717 CSS pixels wide.
MARGIN = "0.4in"
A4_WIDE = 717

# The width of the sheet's signature lines (a row, as its table's box may be wider
# than its rows) and of its title's line (the page's text width).
WIDTHS = """() => [document.querySelector('table.signatures tr').getBoundingClientRect().width,
                   document.querySelector('h1').getBoundingClientRect().width]"""


@pytest.fixture
async def sheet(needs, resident, levels, token_for) -> str:
    """The record sheet of a home visit that found three needs, as its page serves it."""
    visit = await needs.post(
        "/surveys",
        json={
            "resident_id": await resident(),
            "method": "home_visit",
            "dimensions": levels,
            "surveyed_at": "2026-01-06T17:30:00Z",
            "notes": "轮椅坏了，下周再去看看",
            "needs": [
                {"category": "meal-delivery", "dimension": "material", "notes": "每周两次"},
                {"category": "repair", "dimension": "physical", "urgency": "high"},
                {"category": "companionship", "dimension": "spiritual"},
            ],
        },
    )
    assert visit.status_code == 201, visit.text
    worker = await token_for(Role.social_worker, "王社工")
    page = await needs.get(
        f"/surveys/{visit.json()['survey_id']}", params={"format": "html"}, headers=worker
    )
    assert page.status_code == 200, page.text
    return page.text


async def test_a_visit_with_a_few_needs_prints_on_one_a4_sheet_with_room_to_sign(tab, sheet):
    async with tab(viewport={"width": A4_WIDE, "height": 1000}) as page:
        await page.set_content(sheet)
        await page.emulate_media(media="print")
        signatures, line = await page.evaluate(WIDTHS)
        assert signatures >= line - 1  # a line to sign on, not a box as wide as nothing
        pdf = await page.pdf(
            format="A4", margin=dict.fromkeys(("top", "right", "bottom", "left"), MARGIN)
        )
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


async def test_on_a_phones_screen_the_sheet_fills_the_width_without_scrolling_sideways(tab, sheet):
    async with tab(viewport=PHONE) as page:
        await page.set_content(sheet)
        signatures, line = await page.evaluate(WIDTHS)
        assert signatures >= line - 1
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

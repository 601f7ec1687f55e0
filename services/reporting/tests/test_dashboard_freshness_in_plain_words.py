"""The freshness table in words an office head reads: records, not the bus's "events", and a
note saying what 正常, 滞后 and 离线 mean for the figures — that 离线 catches up by itself, and that
a quiet office is not a problem."""

from __future__ import annotations

import pytest

from .test_dashboard import api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here


@pytest.mark.parametrize(
    ("lang", "jargon", "statuses", "catches_up"),
    [
        ("zh", "事件", ("正常", "滞后", "离线"), "自动补齐"),
        ("en", "event", ("Live", "Behind", "Stale"), "catch up by themselves"),
    ],
)
async def test_the_freshness_table_is_read_without_the_systems_words(
    tab, dashboard, api, seeded, office, lang, jargon, statuses, catches_up
):
    await settled(api)
    async with tab() as page:
        await visit(page, dashboard, lang)
        await page.locator(f"#freshness tr[data-office='{office}']").wait_for()
        section = page.locator("section", has=page.locator("#freshness"))
        shown = await section.inner_text()
        assert jargon not in shown.lower()
        note = await page.inner_text("#freshness-note")
        for status in statuses:
            assert f"{status}：" in note or f"{status}:" in note, status
        assert catches_up in note

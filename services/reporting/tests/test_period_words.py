"""The dashboard's period picker and the server's messages call the months by the same words."""

from __future__ import annotations

import re

from wushe_reporting.api import DASHBOARD, MONTHS


def _i18n() -> str:
    return DASHBOARD.joinpath("static", "i18n.js").read_text("utf-8")


def test_the_picker_names_the_months_as_the_error_pages_do():
    words = next(iter(MONTHS.values()))["parameters"]
    zh = _i18n().split("\n  en:")[0]
    assert f'from: "{words["from"]}",' in zh
    assert f'to: "{words["to"]}",' in zh
    page = DASHBOARD.joinpath("index.html").read_text("utf-8")
    assert f'<span data-i18n="to">{words["to"]}</span>' in page
    assert "结束月份" not in page + _i18n()


def test_the_reversed_period_reads_with_the_pickers_words_in_both_languages():
    zh, en = _i18n().split("\n  en:")
    assert re.search(r'error_period: "起始月份晚于截止月份"', zh)
    labels = dict(re.findall(r'^    (from|to): "([^"]+)"', en, re.MULTILINE))
    assert labels == {"from": "From month", "to": "To month"}
    assert f'error_period: "The {labels["from"]} is after the {labels["to"]}"' in en

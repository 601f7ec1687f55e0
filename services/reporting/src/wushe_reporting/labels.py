"""Words for codes: the labels of enum values in Chinese and English, one file
(`dashboard/static/labels.json`) read by the dashboard and by the Chinese CSV exports."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

FILE = files("wushe_reporting").joinpath("dashboard", "static", "labels.json")


@cache
def labels() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FILE.read_text("utf-8"))
    return loaded


def enum(kind: str, code: object, lang: str = "zh-CN") -> str:
    """The label of `code` among the `kind` values (`method`, `urgency`, …): the code itself
    when it has none (need categories are free slugs), but for a closed kind (expense
    categories), whose old events may carry a code from before the list: its `other`, with the
    code — 其他（supplies）, never bare English on a Chinese page."""
    words = labels()["enums"][lang].get(kind, {})
    if str(code) in words:
        return str(words[str(code)])
    if kind in labels()["closed"]["kinds"]:
        return f"{words['other']}（{code}）" if lang == "zh-CN" else f"{words['other']} ({code})"
    return str(code)


def inline() -> str:
    """The labels as JSON to carry inside the dashboard page's <script> element."""
    text = json.dumps(labels(), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")  # no `</script>` can end the element early

"""On a phone the chart of money by month reads: its bars side by side (raised, refunded,
disbursed) label what they have, never ¥0.00, and no label is drawn over another — they ran
together as ¥0.00¥0.00 and ¥15,000.00 over its neighbour."""

from __future__ import annotations

from wushe_service.browser_testing import PHONE

from .test_dashboard import api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

# The labels ECharts has drawn on a chart: each text shown, with its box on the canvas.
LABELS = """id => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-chart='${id}']`));
  return chart.getZr().storage.getDisplayList(true)
    .filter(el => ["text", "tspan"].includes(el.type) && !el.invisible && !el.ignore
                  && el.style.text)
    .map(el => {
      const box = el.getBoundingRect().clone();
      if (el.transform) box.applyTransform(el.transform);
      const { x, y, width, height } = box;
      return { text: String(el.style.text), x, y, width, height };
    });
}"""


def overlapping(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


async def test_on_a_phone_the_money_chart_labels_its_amounts_apart_and_no_zero(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    async with tab(viewport=PHONE) as page:
        await visit(page, dashboard, office=office)
        labels = await page.evaluate(LABELS, "money-by-month")
        amounts = [one for one in labels if one["text"].startswith("¥")]
        assert any(one["text"] == "¥15,000.00" for one in amounts), labels
        assert all(one["text"] != "¥0.00" for one in amounts), amounts
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(amounts)
            for b in amounts[i + 1 :]
            if overlapping(a, b)
        ]
        assert not clashes, clashes

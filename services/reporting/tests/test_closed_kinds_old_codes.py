"""An expense's category is one of a closed list since the funds service refuses others, but an
event from before may carry a code of its own (`supplies`): the dashboard and the Chinese
exports show it as 其他（supplies） — never bare English on a Chinese page — while free kinds
(need categories) still show their code as it is."""

from __future__ import annotations

from uuid import uuid4

from wushe_events.catalogue import funds as f
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_reporting import labels

from .test_dashboard import RENDERED, api, dashboard, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here


def test_an_old_code_of_a_closed_kind_reads_as_its_other_with_the_code():
    assert labels.enum("expense_category", "materials") == "物资"
    assert labels.enum("expense_category", "supplies") == "其他（supplies）"
    assert labels.enum("expense_category", "supplies", "en") == "Other (supplies)"
    assert labels.enum("category", "knitting-club") == "knitting-club"  # a free slug, as it is


async def test_the_dashboard_names_an_old_expense_code_as_other(
    tab, dashboard, api, seeded, office, js, consumed
):
    spent = next(e for e in seeded if e.type == f.ExpenseReported.type)
    old = f.ExpenseReported(
        expense_id=uuid4(),
        application_id=spent.data["application_id"],
        amount_fen=100,
        category="supplies",
        receipt_sha256="b" * 64,
    )
    await publish(js, envelope_of(office, old, at=spent.time))
    await wait_until(lambda: consumed(len(seeded) + 1), timeout=30, message="consumed")
    await settled(api)

    async with tab() as page:
        await visit(page, dashboard)
        zh = (await page.evaluate(RENDERED))["charts"]["expenses.by_category_fen"]["labels"]
        await visit(page, dashboard, lang="en")
        en = (await page.evaluate(RENDERED))["charts"]["expenses.by_category_fen"]["labels"]

    assert {"其他（supplies）", "物资"} <= set(zh)
    assert {"Other (supplies)", "Materials"} <= set(en)

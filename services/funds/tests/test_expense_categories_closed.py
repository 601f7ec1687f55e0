"""An expense's category is one of the shared list (物资, 场地…), typed as its code or its
Chinese label, over HTTP against the real PostgreSQL and NATS; another is a 422 naming the
field and the accepted ones. An expense recorded under a grantee's own code before the list was
closed still reads, and the public 项目公示 page words it in Chinese: 其他（supplies）."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from wushe_funds.commands import grants as commands

RECEIPT = "ab" * 32


async def expenses_of(sql, grant: str) -> list[str]:
    rows = await sql(
        "SELECT data->>'category' AS category FROM funds.events WHERE aggregate = 'application'"
        " AND aggregate_id = $1 AND event_type = 'wushe.funds.expense.reported.v1'",
        grant,
    )
    return [r["category"] for r in rows]


async def paid_grant(funds, fund, grant_round, approved_grant) -> str:
    grant = await approved_grant(await grant_round(await fund()), amount=100_000)
    paid = await funds.post(f"/applications/{grant}/disbursements", json={"amount_fen": 100_000})
    assert paid.is_success, paid.text
    return grant


async def test_a_category_outside_the_list_is_a_422_naming_it_and_those_accepted(
    funds, fund, grant_round, approved_grant, sql
):
    grant = await paid_grant(funds, fund, grant_round, approved_grant)

    refused = await funds.post(
        f"/applications/{grant}/expenses",
        json={"amount_fen": 1_000, "category": "supplies", "receipt_sha256": RECEIPT},
    )

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "category"
    assert "materials (物资)" in error["message"]
    assert "other (其他)" in error["message"]
    assert await expenses_of(sql, grant) == []


async def test_a_chinese_label_is_recorded_as_its_code(
    funds, fund, grant_round, approved_grant, sql
):
    grant = await paid_grant(funds, fund, grant_round, approved_grant)

    for typed in ("物资采购", "场地"):
        reported = await funds.post(
            f"/applications/{grant}/expenses",
            json={"amount_fen": 1_000, "category": typed, "receipt_sha256": uuid4().hex * 2},
        )
        assert reported.status_code == 201, reported.text

    assert sorted(await expenses_of(sql, grant)) == ["materials", "venue"]


async def test_an_own_code_recorded_before_reads_in_chinese_on_the_public_page(
    funds, fund, grant_round, approved_grant, public, sql
):
    grant = await paid_grant(funds, fund, grant_round, approved_grant)
    # As the service recorded it before the list was closed (the command took any code then).
    before = commands.ReportExpense.model_construct(
        amount_fen=30_000, category="supplies", receipt_sha256=RECEIPT
    )
    store = funds.app.state.runtime.store
    await commands.report_expense(store, UUID(grant), before, None, datetime.now(UTC))
    assert await expenses_of(sql, grant) == ["supplies"]

    disclosed = await public(f"/public/applications/{grant}/disclosure")
    page = await public(f"/public/applications/{grant}/disclosure?format=html")

    assert disclosed.status_code == 200, disclosed.text
    assert [e["category"] for e in disclosed.json()["expenses"]] == ["supplies"]
    assert page.status_code == 200, page.text
    assert "其他（supplies）" in page.text

"""The public ledger against the real PostgreSQL: refunds, CSV, and tampering with stored rows
detected by verify, naming the entry."""

import asyncio
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg

from wushe_events.catalogue.funds import DonationReceived, ExpenseReported, FundOpened
from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_funds import queries, store
from wushe_funds.domain import ledger
from wushe_funds.main import MIGRATIONS


async def donate(funds, fund_id, amount, **more):
    response = await funds.post(
        f"/funds/{fund_id}/donations",
        json={"amount_fen": amount, "donor_kind": "individual", **more},
    )
    assert response.status_code == 201, response.text
    return response.json()["donation_id"]


async def test_refunds_appear_with_the_donor_they_go_back_to(funds, fund, public):
    fund_id = await fund(0)
    named = await donate(
        funds, fund_id, 50_000, donor_name="余姚某电器有限公司", publish_donor_name=True,
        channel="bank-transfer", receipt_number="R-2026-0001",
    )  # fmt: skip
    anonymous = await donate(funds, fund_id, 8_800, donor_name="王秀英")
    refund = {"amount_fen": 20_000, "reason": "donor-request"}
    response = await funds.post(f"/funds/{fund_id}/donations/{named}/refund", json=refund)
    assert response.status_code == 201, response.text
    too_much = await funds.post(
        f"/funds/{fund_id}/donations/{anonymous}/refund", json={"amount_fen": 8_801, "reason": "x"}
    )
    assert too_much.json()["rule"] == "refund_exceeds_donation"
    unknown = await funds.post(f"/funds/{fund_id}/donations/{uuid4()}/refund", json={"reason": "x"})
    assert unknown.status_code == 404

    view = (await public(f"/public/funds/{fund_id}/ledger")).json()
    rows = [
        (e["kind"], e["direction"], e["balance_fen"], e["counterpart"]) for e in view["entries"]
    ]
    # Yuan beside fen, as exact decimal strings (never floats), for people reading it.
    assert [(e["amount_yuan"], e["balance_yuan"]) for e in view["entries"]] == [
        ("500.00", "500.00"),
        ("88.00", "588.00"),
        ("200.00", "388.00"),
    ]
    assert (view["balance_fen"], view["balance_yuan"]) == (38_800, "388.00")
    assert rows == [
        ("donation", "in", 50_000, "余姚某电器有限公司"),
        ("donation", "in", 58_800, "anonymous donor"),
        ("refund", "out", 38_800, "余姚某电器有限公司"),
    ]
    assert "王秀英" not in str(view)  # no consent, no name
    fund_view = (await funds.get(f"/funds/{fund_id}")).json()
    assert (fund_view["balance_fen"], fund_view["refunded_fen"]) == (38_800, 20_000)

    csv = await public(f"/public/funds/{fund_id}/ledger.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith(
        "序号,时间（北京时间）,类别,收支,金额（分）,金额（元）,余额（分）,余额（元）,用途,对方,"
    )
    assert len(lines) == 4
    # Worded as the ledger page words it, at the office's time (the tests' office: Shanghai).
    times = [datetime.fromisoformat(e["occurred_at"]) for e in view["entries"]]
    local = [t.astimezone(ZoneInfo("Asia/Shanghai")) for t in times]
    assert lines[1].startswith(
        f"1,{local[0]:%Y-%m-%d %H:%M:%S},捐赠收入,收入,50000,500.00,50000,500.00,"
        "捐赠（银行转账）,余姚某电器有限公司,"
    )
    assert ",捐赠,匿名捐赠人," in lines[2]
    assert lines[3].startswith(
        f"3,{local[2]:%Y-%m-%d %H:%M:%S},退还捐赠,支出,20000,200.00,38800,388.00,"
        "退还捐赠：捐赠人要求,余姚某电器有限公司,"
    )
    assert "anonymous donor" not in csv.text
    # For scripts: the column names and the entries as stored and hashed, times in UTC.
    keys = (await public(f"/public/funds/{fund_id}/ledger.csv?header=keys")).text
    rows = keys.lstrip("\ufeff").splitlines()
    assert rows[0] == ",".join(queries.ledger.CSV_COLUMNS)
    assert rows[0].startswith(
        "sequence,occurred_at,kind,direction,amount_fen,amount_yuan,balance_fen,balance_yuan,"
    )
    assert rows[3].startswith(
        f"3,{times[2].isoformat()},refund,out,20000,200.00,38800,388.00,"
        "refund: donor-request,余姚某电器有限公司,"
    )
    assert times[2].utcoffset() == timedelta(0)
    assert ",donation,anonymous donor," in rows[2]
    typo = await public(f"/public/funds/{fund_id}/ledger.csv?header=english")
    assert typo.status_code == 422
    assert "header" in typo.text

    # The same ledger as a page to read and print: Chinese labels, yuan, the chain checked.
    page = await public(f"/public/funds/{fund_id}/ledger?format=html")
    assert page.headers["content-type"].startswith("text/html")
    for shown in (
        "收支公示",
        "五社联动志愿服务平台",  # headed with the office, as its other public pages
        "¥388.00",
        "捐赠收入",
        "退还捐赠",
        "500.00",
        "匿名捐赠人",
        "哈希链校验通过",
        "捐赠（银行转账）",  # the ledger's English, translated as shown
        "退还捐赠：捐赠人要求（退还第 1 条捐赠）",
        "累计募集 ¥588.00 · 退还捐赠 ¥200.00 · 项目拨付 ¥0.00",
    ):
        assert shown in page.text
    assert "refund: donor-request" not in page.text
    assert view["entries"][2]["purpose"] == "refund: donor-request"  # the hashed text as it was
    assert "王秀英" not in page.text


async def test_a_tampered_row_is_named_by_verify(funds, fund, sql, public):
    fund_id = await fund(100_000)
    for amount in (2_000, 3_000, 4_000):
        await donate(funds, fund_id, amount)
    verify = f"/public/funds/{fund_id}/ledger/verify"
    assert (await public(verify)).json() == {
        "fund_id": fund_id,
        "entries": 4,
        "valid": True,
        "first_broken": None,
        "head_hash": (await public(f"/public/funds/{fund_id}/ledger")).json()["head_hash"],
    }
    await sql(
        "UPDATE funds.ledger SET amount_fen = 30000 WHERE fund_id = $1 AND sequence = 3",
        UUID(fund_id),
    )
    report = (await public(verify)).json()
    assert (report["valid"], report["first_broken"]["sequence"]) == (False, 3)
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    assert "哈希链校验失败：第 3 条记录" in page

    # A kind no entry has is reported at its row, not a crash; the ledger is still shown.
    await sql(
        "UPDATE funds.ledger SET kind = 'gift' WHERE fund_id = $1 AND sequence = 2", UUID(fund_id)
    )
    report = (await public(verify)).json()
    assert report["first_broken"] == {"sequence": 2, "reason": "entry unreadable: kind 'gift'"}
    shown = await public(f"/public/funds/{fund_id}/ledger")
    assert (shown.status_code, shown.json()["entries"][1]["kind"]) == (200, "gift")
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    assert "哈希链校验失败：第 2 条记录" in page


async def forge(sql, fund_id, sequence, **changes):
    """Rewrite one entry of a fund's ledger as a forger would: later balances follow a changed
    amount and every later hash is recomputed, so that the chain holds."""
    rows = await sql(
        "SELECT * FROM funds.ledger WHERE fund_id = $1 ORDER BY sequence", UUID(fund_id)
    )
    forged: list[ledger.Entry] = []
    for r in rows:
        content = store.ledger.entry_of(r).content
        if content.sequence == sequence:
            content = replace(content, **changes)
        if forged:
            previous = forged[-1].content
            sign = 1 if content.kind in ledger.INFLOWS else -1
            content = replace(content, balance_fen=previous.balance_fen + sign * content.amount_fen)
        forged.append(ledger.chain(content, forged[-1].hash if forged else ledger.GENESIS))
    for entry in forged:
        c = entry.content
        await sql(
            """UPDATE funds.ledger SET counterpart = $3, amount_fen = $4, balance_fen = $5,
                   prev_hash = $6, hash = $7
               WHERE fund_id = $1 AND sequence = $2""",
            UUID(fund_id), c.sequence, c.counterpart, c.amount_fen, c.balance_fen,
            entry.prev_hash, entry.hash,
        )  # fmt: skip


async def test_a_consistently_rehashed_forgery_is_caught_by_the_events(funds, fund, sql, public):
    fund_id = await fund(100_000)
    for amount in (2_000, 3_000):
        await donate(funds, fund_id, amount)
    # The forger rewrites entry 2 and recomputes every hash after it: the chain holds.
    await forge(sql, fund_id, 2, counterpart="某领导")
    report = (await public(f"/public/funds/{fund_id}/ledger/verify")).json()
    assert report["first_broken"] == {
        "sequence": 2,
        "reason": "entry differs from the fund's events",
    }


async def test_a_forged_ledger_is_flagged_where_people_look(funds, fund, sql, public, caplog):
    fund_id, honest_id = await fund(100_000), await fund(50_000, name="江滨社区慈善基金")
    await donate(funds, fund_id, 2_000)
    await forge(sql, fund_id, 2, amount_fen=200)  # 1,800 fen gone, the chain recomputed
    assert (await public(f"/public/funds/{fund_id}/ledger")).json()["balance_fen"] == 100_200

    listed = (await public("/public/funds")).json()["items"]
    await public("/public/funds")  # a state already verified is not logged again
    by_id = {f["fund_id"]: f for f in listed}
    # The list shows the fund's figures from its events, and that its ledger fails.
    assert by_id[fund_id] | {"opened_at": None} == {
        "fund_id": fund_id,
        "name": "丰山社区慈善基金",
        "community_id": "fengshan",
        "community_name": "丰山社区",
        "community_street": "凤山街道",
        "opened_at": None,
        "balance_fen": 102_000,
        "raised_fen": 102_000,
        "refunded_fen": 0,
        "disbursed_fen": 0,
        "balance_yuan": "1020.00",
        "raised_yuan": "1020.00",
        "refunded_yuan": "0.00",
        "disbursed_yuan": "0.00",
        "ledger": f"/public/funds/{fund_id}/ledger",
        "ledger_valid": False,
        "ledger_first_broken": {"sequence": 2, "reason": "entry differs from the fund's events"},
        "rounds": [],
    }
    assert (by_id[honest_id]["ledger_valid"], by_id[honest_id]["balance_fen"]) == (True, 50_000)
    page = (await public("/public/funds?format=html")).text
    assert (page.count("校验失败"), page.count("校验通过")) == (1, 1)
    warnings = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg["event"] == "ledger_verification_failed"
    ]
    assert [(w["level"], w["fund_id"], w["sequence"], w["reason"]) for w in warnings] == [
        ("warning", fund_id, 2, "entry differs from the fund's events")
    ]

    metrics = (await funds.get("/metrics")).text
    assert f'wushe_ledger_broken{{fund_id="{fund_id}"}} 1.0' in metrics
    assert f'wushe_ledger_broken{{fund_id="{honest_id}"}} 0.0' in metrics
    assert "wushe_ledger_verification_failures_total" in metrics

    # The page: the check failed, and the balance shown is the events', not the forged rows'.
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    assert "哈希链校验失败：第 2 条记录" in page
    assert "¥1,020.00" in page


async def test_money_moving_while_the_ledger_is_verified_is_no_tampering(
    funds, fund, public, monkeypatch
):
    """A donation committed between the read of the fund's events and that of its ledger is
    seen by both or by neither."""
    fund_id = await fund(100_000)
    read_ledger = store.ledger.ledger_rows

    async def after_a_donation(db, the_fund):
        monkeypatch.setattr(store.ledger, "ledger_rows", read_ledger)
        await donate(funds, fund_id, 500)  # another request, another connection, committed
        return await read_ledger(db, the_fund)

    for url in (f"/public/funds/{fund_id}/ledger/verify", f"/public/funds/{fund_id}/ledger"):
        monkeypatch.setattr(store.ledger, "ledger_rows", after_a_donation)
        response = await public(url + ("" if url.endswith("verify") else "?format=html"))
        assert response.status_code == 200, response.text
        if url.endswith("verify"):
            assert (response.json()["valid"], response.json()["entries"]) == (True, 1)
        else:
            assert "哈希链校验通过" in response.text
    report = (await public(f"/public/funds/{fund_id}/ledger/verify")).json()
    assert (report["valid"], report["entries"]) == (True, 3)


async def test_verify_hashes_off_the_event_loop_once_per_state_of_the_ledger(
    funds, fund, sql, public, monkeypatch
):
    fund_id = await fund(100_000)
    check, threads = queries.verification._check, []

    def counted(fund, history, rows):
        # The background sweep (`ledger_watch`) may yet hash the state the fund was opened in,
        # before its first donation, read before this test counted: not a state asked here.
        if rows:
            threads.append(threading.current_thread())
        return check(fund, history, rows)

    monkeypatch.setattr(queries.verification, "_check", counted)
    verify = f"/public/funds/{fund_id}/ledger/verify"
    # Asked at once (as the background sweep may too), then again: one hashing.
    together = [
        answer.json() for answer in await asyncio.gather(*(public(verify) for _ in range(4)))
    ]
    again = (await public(verify)).json()
    assert together == [again] * 4
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()
    await donate(funds, fund_id, 500)
    assert (await public(verify)).json()["entries"] == 2
    # A row changed anywhere, not only at the head, is a new state to verify.
    await sql(
        "UPDATE funds.ledger SET purpose = 'x' WHERE fund_id = $1 AND sequence = 1", UUID(fund_id)
    )
    assert (await public(verify)).json()["first_broken"]["sequence"] == 1
    assert len(threads) == 3


async def test_a_deleted_row_is_named_by_verify(funds, fund, sql, public):
    fund_id = await fund(100_000)
    await donate(funds, fund_id, 2_000)
    await sql("DELETE FROM funds.ledger WHERE fund_id = $1 AND sequence = 2", UUID(fund_id))
    report = (await public(f"/public/funds/{fund_id}/ledger/verify")).json()
    assert report["first_broken"] == {"sequence": 2, "reason": "entry missing"}


async def test_unknown_funds_are_a_404(public):
    assert (await public(f"/public/funds/{uuid4()}/ledger")).status_code == 404
    assert (await public(f"/public/funds/{uuid4()}/ledger/verify")).status_code == 404


async def test_an_unknown_fund_opened_in_a_browser_is_a_404_page_in_chinese(funds):
    """The ledger and its CSV are opened from links and notice boards: a mistyped fund reads
    as a page saying so, not as English JSON; programs still get the JSON."""
    fund_id = uuid4()
    browser = {"Authorization": "", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for url in (
        f"/public/funds/{fund_id}/ledger",
        f"/public/funds/{fund_id}/ledger.csv",
        f"/public/funds/{fund_id}/ledger.csv?header=keys",
    ):
        page = await funds.get(url, headers=browser)
        assert page.status_code == 404, url
        assert page.headers["content-type"].startswith("text/html"), url
        assert f"基金</code>：没有“{fund_id}”，请检查网址" in page.text, url
        assert "找不到要查看的内容" in page.text
        assert "format=html" not in page.text  # nothing to show whole: the fund is the page
        program = await funds.get(url, headers={"Authorization": ""})
        assert program.status_code == 404
        assert program.json() == {"detail": f"no fund {fund_id}"}
        asked = await funds.get(url, headers={**browser, "Accept": "application/json"})
        assert asked.json() == {"detail": f"no fund {fund_id}"}
    # A bad address of the CSV is worded as the page's are, with no link to a page it lacks.
    typo = await funds.get(f"/public/funds/{fund_id}/ledger.csv?header=english", headers=browser)
    assert typo.status_code == 422
    assert "<code>header</code>：应为以下之一：headings, keys" in typo.text
    assert "format=html" not in typo.text


async def test_the_migration_writes_the_ledger_of_funds_that_had_donations(
    empty_database_url, office
):
    """Offices that ran the funds service before the ledger existed get it from their events."""
    engine = create_engine(empty_database_url, "funds")
    await upgrade(engine, "funds")  # the event store alone, as before
    fund_id = uuid4()
    pool = await asyncpg.create_pool(empty_database_url, server_settings={"search_path": "funds"})
    try:
        async with EventStore(pool, office).transaction() as tx:
            await tx.append(0, [FundOpened(fund_id=fund_id, community_id=None, name="基金")])
            await tx.append(
                1,
                [
                    DonationReceived(
                        donation_id=uuid4(), fund_id=fund_id, amount_fen=amount,
                        donor_kind="individual", donor_display=None,
                    )
                    for amount in (1_000, 2_000)
                ],
                now=datetime.now(UTC),
            )  # fmt: skip
        await upgrade(engine, "funds", [MIGRATIONS])
        async with pool.acquire() as db:
            rows = await db.fetch("SELECT sequence, balance_fen FROM ledger ORDER BY sequence")
        assert [tuple(r) for r in rows] == [(1, 1_000), (2, 3_000)]
    finally:
        await pool.close()
        await engine.dispose()


async def test_the_migration_keeps_the_first_claim_of_each_receipt(empty_database_url, office):
    engine = create_engine(empty_database_url, "funds")
    await upgrade(engine, "funds")  # the event store alone, as before
    pool = await asyncpg.create_pool(empty_database_url, server_settings={"search_path": "funds"})
    first, second = uuid4(), uuid4()
    try:
        for application_id in (first, second):  # one receipt claimed twice, before the rule
            async with EventStore(pool, office).transaction() as tx:
                await tx.append(0, [ExpenseReported(
                    expense_id=uuid4(), application_id=application_id, amount_fen=1,
                    category="supplies", receipt_sha256="ab" * 32,
                )])  # fmt: skip
        await upgrade(engine, "funds", [MIGRATIONS])
        async with pool.acquire() as db:
            rows = await db.fetch("SELECT receipt_sha256, application_id FROM expense_receipts")
        assert [tuple(r) for r in rows] == [("ab" * 32, first)]
    finally:
        await pool.close()
        await engine.dispose()


def test_the_csv_for_people_names_the_offices_time_zone():
    heading = queries.ledger.ledger_csv({"entries": []}, ZoneInfo("Asia/Urumqi")).splitlines()[0]
    assert heading.startswith("\ufeff序号,时间（Asia/Urumqi）,类别,")

"""One paper receipt is one donation, however its number is typed: in either case, with
spaces around it, full-width from a Chinese input method — in one fund, in two, retried, and
in the numbers recorded before the rule (funds_0016)."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg
import pytest
from structlog.testing import capture_logs

from wushe_events.catalogue.funds import DonationReceived, FundOpened
from wushe_events.database import create_engine
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_funds.domain.receipts import as_written, receipt_key
from wushe_funds.main import MIGRATIONS


async def donate(funds, fund_id, receipt_number, amount_fen=10_000):
    body = {"amount_fen": amount_fen, "donor_kind": "individual", "receipt_number": receipt_number}
    return await funds.post(f"/funds/{fund_id}/donations", json=body)


async def receipts_of(funds, fund_id):
    listed = await funds.get(f"/funds/{fund_id}/donations")
    assert listed.status_code == 200, listed.text
    return [d["receipt_number"] for d in listed.json()["items"]]


def test_a_number_is_written_as_the_paper_receipt_and_keyed_in_either_case():
    assert as_written(" ＳＪ－２０２６－００１\u3000") == "SJ-2026-001"
    assert as_written("sj-2026-001") == "sj-2026-001"
    assert receipt_key("ＳＪ－２０２６－００１") == receipt_key(" sj-2026-001 ") == "sj-2026-001"
    assert receipt_key("SJ-2026-001") != receipt_key("SJ-2026-0011")


@pytest.mark.parametrize("typed", ["sj-2026-001", " SJ-2026-001 ", "ＳＪ－２０２６－００１"])
async def test_the_same_receipt_typed_another_way_is_not_another_donation_to_the_fund(
    funds, fund, typed
):
    fund_id = await fund(0)
    assert (await donate(funds, fund_id, "SJ-2026-001")).status_code == 201

    again = await donate(funds, fund_id, typed, amount_fen=20_000)

    assert (again.status_code, again.json()["rule"]) == (409, "receipt_number_used")
    assert await receipts_of(funds, fund_id) == ["SJ-2026-001"]


@pytest.mark.parametrize("typed", ["sj-2026-001", " Sj-2026-001", "ｓｊ－２０２６－００１"])
async def test_the_same_receipt_typed_another_way_is_refused_for_another_fund(funds, fund, typed):
    first, second = await fund(0), await fund(0, name="江滨社区慈善基金")
    assert (await donate(funds, first, "SJ-2026-001")).status_code == 201

    elsewhere = await donate(funds, second, typed)

    assert (elsewhere.status_code, elsewhere.json()["rule"]) == (409, "receipt_number_used")
    assert first in elsewhere.json()["detail"]
    assert await receipts_of(funds, second) == []


@pytest.mark.parametrize("typed", ["sj-2026-001", "  SJ-2026-001 ", "ＳＪ－２０２６－００１"])
async def test_a_retry_typed_another_way_is_answered_with_the_donation_recorded(funds, fund, typed):
    fund_id = await fund(0)
    recorded = await donate(funds, fund_id, "SJ-2026-001")
    assert recorded.status_code == 201, recorded.text

    retried = await donate(funds, fund_id, typed)

    assert (retried.status_code, retried.json()) == (200, recorded.json())
    assert await receipts_of(funds, fund_id) == ["SJ-2026-001"]


async def test_a_full_width_number_is_recorded_and_printed_as_the_paper_receipt_writes_it(
    funds, fund
):
    fund_id = await fund(0)

    recorded = await donate(funds, fund_id, "ＳＪ－２０２６－００２")

    assert recorded.status_code == 201, recorded.text
    assert await receipts_of(funds, fund_id) == ["SJ-2026-002"]
    donation_id = recorded.json()["donation_id"]
    sheet = await funds.get(f"/funds/{fund_id}/donations/{donation_id}/acknowledgement")
    assert sheet.json()["receipt_number"] == "SJ-2026-002"
    found = await funds.get(
        f"/funds/{fund_id}/donations", params={"receipt_number": "ｓｊ－２０２６－００２"}
    )
    assert [d["donation_id"] for d in found.json()["items"]] == [donation_id]


@pytest.mark.parametrize("typed", ["ＳＪ－２０２６。００１", "SJ 2026 001", "   "])
async def test_a_number_of_other_characters_is_still_refused_naming_the_field(funds, fund, typed):
    fund_id = await fund(0)

    refused = await donate(funds, fund_id, typed)

    assert refused.status_code == 422, refused.text
    assert "receipt_number" in refused.text
    assert await receipts_of(funds, fund_id) == []


async def test_the_migration_keeps_the_first_claim_of_a_receipt_typed_several_ways(
    empty_database_url, office
):
    """Numbers recorded before the rule that differ only in case, spaces or width: the first
    donation keeps the office's claim; the others keep their donation, logged by id."""
    engine = create_engine(empty_database_url, "funds")
    await upgrade(engine, "funds")  # the event store alone, as before
    pool = await asyncpg.create_pool(empty_database_url, server_settings={"search_path": "funds"})
    funds = [uuid4(), uuid4()]
    typed = [
        (funds[0], "ＳＪ－２０２６－００１"),  # the first: keeps the claim
        (funds[1], "sj-2026-001"),
        (funds[0], " SJ-2026-001"),
        (funds[1], "SJ-2026-002"),  # another receipt
    ]
    donations = [uuid4() for _ in typed]
    try:
        async with EventStore(pool, office).transaction() as tx:
            for version, fund_id in enumerate(funds):
                await tx.append(
                    0, [FundOpened(fund_id=fund_id, community_id=None, name=f"基金{version}")]
                )
        for donation_id, (fund_id, number) in zip(donations, typed, strict=True):
            async with EventStore(pool, office).transaction() as tx:
                history = await tx.load("fund", str(fund_id))
                await tx.append(len(history), [DonationReceived(
                    donation_id=donation_id, fund_id=fund_id, amount_fen=1_000,
                    donor_kind="individual", donor_display=None, receipt_number=number,
                )], now=datetime.now(UTC))  # fmt: skip

        with capture_logs() as logs:
            await upgrade(engine, "funds", [MIGRATIONS])

        async with pool.acquire() as db:
            rows = await db.fetch(
                "SELECT receipt_key, donation_id FROM donation_receipts ORDER BY receipt_key"
            )
            assert [tuple(r) for r in rows] == [
                ("sj-2026-001", donations[0]),
                ("sj-2026-002", donations[3]),
            ]
            recorded = await db.fetchval(
                "SELECT count(*) FROM events WHERE event_type = $1", DonationReceived.type
            )
            assert recorded == 4  # every donation stands: only the claims were released
        released = [e for e in logs if e["event"] == "donation_receipt_claim_released"]
        assert sorted((UUID(e["donation_id"]), UUID(e["kept_donation_id"])) for e in released) == (
            sorted([(donations[1], donations[0]), (donations[2], donations[0])])
        )
        assert all(e["log_level"] == "warning" for e in released)
    finally:
        await pool.close()
        await engine.dispose()


async def test_the_office_s_claim_decides_between_racing_requests_typed_differently(
    funds, fund, sql
):
    """Should the checks pass (requests racing), the claim's key refuses the second."""
    fund_id = await fund(0)
    # As if a racing request had claimed the number, typed otherwise, a moment before.
    await sql(
        "INSERT INTO funds.donation_receipts VALUES ('sj-2026-044', $1, $2)",
        UUID(fund_id),
        uuid4(),
    )

    raced = await donate(funds, fund_id, "SJ-2026-044")

    assert (raced.status_code, raced.json()["rule"]) == (409, "receipt_number_used")
    assert await receipts_of(funds, fund_id) == []

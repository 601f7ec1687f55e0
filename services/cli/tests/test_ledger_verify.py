"""`wushe ledger verify <fund>` as an auditor runs it: exit 0 when intact, 1 naming the entry."""

import asyncio
import os
import subprocess
import sys
from uuid import uuid4

from wushe_events.catalogue.funds import DonationReceived, FundOpened
from wushe_events.database import create_engine, create_pool
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_funds import store
from wushe_funds.main import MIGRATIONS


async def verify(fund_id, database_url, office, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "WUSHE_OFFICE": office, "WUSHE_DATABASE_URL": database_url}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "wushe_cli", "ledger", "verify", str(fund_id)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_verify_passes_an_intact_ledger_and_names_a_tampered_entry(
    database_url, office, tmp_path
):
    engine = create_engine(database_url, "funds")
    await upgrade(engine, "funds", [MIGRATIONS])
    await engine.dispose()
    pool = await create_pool(database_url, "funds")
    fund_id = uuid4()
    try:
        events = EventStore(pool, office, hooks=[store.hook.project])
        async with events.transaction() as tx:
            await tx.append(0, [FundOpened(fund_id=fund_id, community_id=None, name="基金")])
            donations = [
                DonationReceived(
                    donation_id=uuid4(), fund_id=fund_id, amount_fen=amount,
                    donor_kind="individual", donor_display=None,
                )
                for amount in (1_000, 2_000, 3_000)
            ]  # fmt: skip
            await tx.append(1, donations)

        intact = await verify(fund_id, database_url, office, tmp_path)
        assert intact.returncode == 0, intact.stderr
        assert "3 entries, chain intact" in intact.stdout

        async with pool.acquire() as db:
            await db.execute(
                "UPDATE ledger SET balance_fen = 99 WHERE fund_id = $1 AND sequence = 2", fund_id
            )
        broken = await verify(fund_id, database_url, office, tmp_path)
        assert broken.returncode == 1, broken.stderr
        assert "BROKEN at entry 2" in broken.stdout

        unknown = await verify(uuid4(), database_url, office, tmp_path)
        assert unknown.returncode == 2
    finally:
        await pool.close()

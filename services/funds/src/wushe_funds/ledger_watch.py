"""Every fund's ledger verified once when the service starts and then on an interval, so that
a forgery raises `wushe_ledger_broken` and `ledger_verification_failed` (`ledger_alarms`)
even when nobody reads the ledger, and after a restart as well as before it."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import structlog
from prometheus_client import Gauge

from wushe_events.errors import NotFound
from wushe_events.store import EventStore
from wushe_funds import queries
from wushe_funds import store as funds_store
from wushe_funds.settings import FundsSettings
from wushe_service.runtime import Runtime

log = structlog.get_logger()

SWEPT = Gauge(
    "wushe_ledger_sweep_completed_timestamp_seconds",
    "when this process last finished verifying every fund's ledger (Unix time)",
)


async def verify_all(store: EventStore) -> dict[str, int]:
    """Verify each fund's ledger, one at a time on a connection of its own (a request waits
    for at most one verification, never a whole sweep); what fails is alarmed by
    `queries.verify_ledger`. The counts of ledgers found valid and broken."""
    counts = {"valid": 0, "broken": 0}
    async with store.connection() as db:
        fund_ids = await funds_store.opened_funds(db)
    for fund_id in fund_ids:
        async with store.connection() as db:
            try:
                report = await queries.verify_ledger(db, fund_id)
            except NotFound:  # opened in a transaction not yet visible: next time
                continue
        counts["valid" if report["valid"] else "broken"] += 1
    SWEPT.set(time.time())
    return counts


async def keep_ledgers_verified(runtime: Runtime) -> None:
    """Runs in the service beside the consumers: at once, then every interval. A failed sweep
    is logged and tried again next time, never the end of the loop (readiness would fail)."""
    settings = runtime.settings
    assert isinstance(settings, FundsSettings)
    while True:
        started = time.monotonic()
        try:
            counts = await verify_all(runtime.store)
            log.info("ledgers_verified", **counts, seconds=round(time.monotonic() - started, 3))
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("ledger_sweep_failed", error=type(error).__name__)
        except Exception:
            log.exception("ledger_sweep_failed")
        await asyncio.sleep(settings.funds_ledger_verify_interval)

"""Every fund's ledger verified once when the service starts and then on an interval, so that
a forgery raises `wushe_ledger_broken` and `ledger_verification_failed` (`ledger_alarms`)
even when nobody reads the ledger, and after a restart as well as before it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from uuid import UUID

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


def to_verify(
    fingerprints: Mapping[UUID, funds_store.ledger.Fingerprint],
    good: Mapping[UUID, funds_store.ledger.Fingerprint],
) -> list[UUID]:
    """The funds whose ledger state is not the one last verified good: new funds, funds with
    new events or tampered rows, and those that failed (checked again until mended)."""
    return [fund_id for fund_id, key in fingerprints.items() if good.get(fund_id) != key]


class Sweep:
    """Verifies, at each `run`, only the ledgers changed since their last good verification.

    Why not all of them, or a page of them per sweep: a full verification decodes a fund's
    events and re-hashes its chain in Python, and verifying all funds at each sweep (as the
    bounded cache of `queries.verification._verify`, 256 states, made it past 256 funds) costs
    the whole office's history every interval. Walking them in pages would bound that cost, but
    a forgery in a fund outside the page would go unalarmed for as many intervals as there are
    pages. Every fund's fingerprint — its stream version and a digest of all its stored rows,
    hashed by PostgreSQL where the rows are, in one statement — changes with any new event and
    any row tampered with anywhere, so each sweep still looks at every ledger, and pays the full
    verification only for those that changed. What is kept is one fingerprint per fund (a few
    dozen bytes), however many funds there are; a restart starts empty and verifies all."""

    def __init__(self) -> None:
        self.good: dict[UUID, funds_store.ledger.Fingerprint] = {}
        self.verified: list[UUID] = []  # the funds the last run verified in full

    async def run(self, store: EventStore) -> dict[str, int]:
        """Each changed fund verified on a connection of its own (a request waits for at most
        one verification, never a whole sweep); what fails is alarmed by `queries.verification`.
        The counts of ledgers valid and broken, and of those verified in full (`verified`)."""
        async with store.connection() as db:
            fingerprints = await funds_store.ledger.ledger_fingerprints(db)
        changed = to_verify(fingerprints, self.good)
        counts = {"valid": len(fingerprints) - len(changed), "broken": 0, "verified": 0}
        self.verified = []
        for fund_id in changed:
            async with store.connection() as db:
                try:
                    key, report = await queries.verification.verify_ledger_state(db, fund_id)
                except NotFound:  # opened in a transaction not yet visible: next time
                    continue
            self.verified.append(fund_id)
            if report["valid"]:
                self.good[fund_id] = key
            else:
                self.good.pop(fund_id, None)
            counts["valid" if report["valid"] else "broken"] += 1
        counts["verified"] = len(self.verified)
        SWEPT.set(time.time())
        return counts


async def keep_ledgers_verified(runtime: Runtime) -> None:
    """Runs in the service beside the consumers: at once, then every interval. A failed sweep
    is logged and tried again next time, never the end of the loop (readiness would fail)."""
    settings = runtime.settings
    assert isinstance(settings, FundsSettings)
    sweep = Sweep()
    while True:
        started = time.monotonic()
        try:
            counts = await sweep.run(runtime.store)
            log.info("ledgers_verified", **counts, seconds=round(time.monotonic() - started, 3))
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("ledger_sweep_failed", error=type(error).__name__)
        except Exception:
            log.exception("ledger_sweep_failed")
        await asyncio.sleep(settings.funds_ledger_verify_interval)

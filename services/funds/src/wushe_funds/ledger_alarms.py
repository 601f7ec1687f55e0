"""What a ledger verification that fails raises where operators look: a warning in the log
and Prometheus metrics, so that a forgery is not found only by whoever happens to verify."""

from __future__ import annotations

from typing import Any

import structlog
from prometheus_client import Counter, Gauge

log = structlog.get_logger()

BROKEN = Gauge(
    "wushe_ledger_broken",
    "1 while the fund's ledger, as last verified by this process, fails verification",
    ["fund_id"],
)
FAILURES = Counter(
    "wushe_ledger_verification_failures_total",
    "verifications of a ledger state that failed (each state of a ledger counted once)",
)


def observed(report: dict[str, Any]) -> None:
    """A report served (computed or cached): the gauge follows the ledger's current state."""
    BROKEN.labels(fund_id=str(report["fund_id"])).set(0 if report["valid"] else 1)


def computed(report: dict[str, Any]) -> None:
    """A ledger state verified for the first time: a failure is counted and logged once."""
    if report["valid"]:
        return
    FAILURES.inc()
    broken = report["first_broken"]
    # Ids and the kind of break only: a tampered row's text (quoted in some reasons) is
    # anyone's words, a name perhaps.
    log.warning(
        "ledger_verification_failed",
        fund_id=str(report["fund_id"]),
        sequence=broken["sequence"],
        reason=broken["reason"].split(":")[0],
        head_hash=report["head_hash"],
    )

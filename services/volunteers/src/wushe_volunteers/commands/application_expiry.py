"""Applications nobody decided are closed by the service once the office's retention
(`WUSHE_APPLICATION_RETENTION_DAYS`) has passed, and the applicant's data shredded as a decision
shreds it: an application left pending must not keep a resident's name and phone for ever
(PIPL art. 19: kept no longer than its purpose needs)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import structlog

from wushe_events.aggregate import load_timed, transacting
from wushe_events.errors import RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_service.runtime import Runtime
from wushe_volunteers import application_tables, join_limits
from wushe_volunteers.commands.applications import shred
from wushe_volunteers.domain import application
from wushe_volunteers.settings import VolunteersSettings

log = structlog.get_logger()
# Retention counts in days: a check an hour closes an application at most an hour late.
SWEEP_EVERY = 3600.0
BATCH = 500  # applications read at a time


async def keep_applications(runtime: Runtime) -> None:
    """Runs in the service: expire on schedule (the clock lives here, at the edge)."""
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    while True:
        try:
            await sweep(runtime.store, datetime.now(UTC), settings.application_retention_days)
            # The sign-up form's attempts an hour old, where no form has been sent since.
            async with runtime.store.connection() as db:
                await join_limits.forget(db, datetime.now(UTC))
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("application_sweep_failed", error=type(error).__name__)
        except Exception:  # anything else: say so and sweep again next time, never stop
            log.exception("application_sweep_failed")
        await asyncio.sleep(SWEEP_EVERY)


async def sweep(store: EventStore, now: datetime, retention_days: int) -> int:
    """Expire the applications pending longer than `retention_days`; how many this call did.

    Several replicas may sweep at once: each is decided on the application's own history, and
    of two appending the same version the second loads again and finds it closed — so one
    event per application, and one that a coordinator decides meanwhile is left decided."""
    expired = 0
    while True:  # batch by batch: a backlog (the first start after an upgrade) goes at once
        async with store.connection() as db:
            due = await application_tables.pending_since(
                db, now - timedelta(days=retention_days), BATCH
            )
        done = 0
        for application_id in due:
            try:
                await expire(store, application_id, now, retention_days)
            except RuleBroken:
                continue  # decided or expired by another meanwhile
            done += 1
        expired += done
        if len(due) < BATCH or not done:
            break
    if expired:
        log.info("applications_expired", count=expired, retention_days=retention_days)
    return expired


async def expire(store: EventStore, application_id: UUID, now: datetime, days: int) -> None:
    async def work(tx: Transaction) -> None:
        loaded = await load_timed(tx, "application", str(application_id), application.evolve_timed)
        closed = application.expire(loaded.state, application_id, now, days)
        await tx.append(loaded.version, closed, now=now)
        await shred(tx, application_id)

    await transacting(store, work)

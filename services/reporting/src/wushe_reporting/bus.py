"""The reporting service's subscriptions: every event of the offices it reports on."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import structlog

from wushe_events.consumer import ConsumerSpec
from wushe_events.hub import Link, ensure_hub_stream, source_links
from wushe_reporting import projections, rebuild
from wushe_reporting.settings import ReportingSettings
from wushe_service.runtime import Runtime

log = structlog.get_logger()
CONSUMER = "reporting-overview"
RETRY_FIRST = 1.0  # seconds before a failed rebuild at start is tried again; doubles to 60


def source(runtime: Runtime) -> tuple[str, str]:
    """The stream the reporting service reads, and the subjects of it that it projects."""
    settings = _settings(runtime)
    return settings.stream(), settings.reporting_subjects


def _settings(runtime: Runtime) -> ReportingSettings:
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    return settings


async def provision_hub(runtime: Runtime) -> None:
    """On a city hub, the stream that sources the offices' streams (before it is consumed)."""
    settings = _settings(runtime)
    if offices := settings.offices_of_hub():
        await ensure_hub_stream(runtime.nats, offices, settings.stream(), settings.stream_replicas)


async def links(runtime: Runtime) -> dict[str, Link]:
    """The state of each office's link to the hub, by the office's stream name."""
    if not _settings(runtime).offices_of_hub():
        return {}
    return await source_links(runtime.nats, _settings(runtime).stream())


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    stream, subjects = source(runtime)
    return [
        ConsumerSpec(
            name=CONSUMER,
            stream=stream,
            filter_subject=subjects,
            handler=projections.project,
            description="Wushe reporting: the read models of every office",
            locked=True,  # a replay (at start, `wushe reporting rebuild`) runs beside it
        )
    ]


async def rebuild_when_outdated(runtime: Runtime) -> None:
    """Replay the stream once when the read models were built by other projection code (or
    never): a new version of the service brings its figures up to date by itself. A replay
    cut short (NATS or PostgreSQL gone a moment, or the process) is tried again until it
    completes: the stored version is removed at its start and written at its end."""
    delay = RETRY_FIRST
    while True:
        try:
            if await rebuild.stored_version(runtime.store) == projections.VERSION:
                return
            stream, subjects = source(runtime)
            log.info(
                "reporting_rebuilding",
                reason="projection version changed",
                version=projections.VERSION,
            )
            await rebuild.rebuild(
                runtime.store, runtime.js, stream=stream, subjects=subjects, consumer=CONSUMER
            )
            return
        except Exception:  # the figures must not stay half rebuilt: retry, loudly
            log.exception("reporting_rebuild_failed", retry_in=delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 60.0)

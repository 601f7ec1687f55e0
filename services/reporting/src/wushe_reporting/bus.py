"""The reporting service's subscriptions: every event of the offices it reports on."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from wushe_events.consumer import ConsumerSpec
from wushe_events.subjects import stream_name
from wushe_reporting import projections, rebuild
from wushe_reporting.settings import ReportingSettings
from wushe_service.runtime import Runtime

log = structlog.get_logger()
CONSUMER = "reporting-overview"


def source(runtime: Runtime) -> tuple[str, str]:
    """The stream the reporting service reads, and the subjects of it that it projects."""
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    return settings.reporting_stream or stream_name(runtime.office), settings.reporting_subjects


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    stream, subjects = source(runtime)
    return [
        ConsumerSpec(
            name=CONSUMER,
            stream=stream,
            filter_subject=subjects,
            handler=projections.project,
            description="Wushe reporting: the read models of every office",
        )
    ]


async def rebuild_when_outdated(runtime: Runtime) -> None:
    """Replay the stream once when the read models were built by other projection code (or
    never): a new version of the service brings its figures up to date by itself."""
    if await rebuild.stored_version(runtime.store) == projections.VERSION:
        return
    stream, subjects = source(runtime)
    log.info(
        "reporting_rebuilding", reason="projection version changed", version=projections.VERSION
    )
    await rebuild.rebuild(
        runtime.store, runtime.js, stream=stream, subjects=subjects, consumer=CONSUMER
    )

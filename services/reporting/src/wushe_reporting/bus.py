"""The reporting service's subscriptions: every event of the offices it reports on."""

from __future__ import annotations

from collections.abc import Sequence

from wushe_events.consumer import ConsumerSpec
from wushe_events.subjects import stream_name
from wushe_reporting.projections import overview
from wushe_reporting.settings import ReportingSettings
from wushe_service.runtime import Runtime


def consumers(runtime: Runtime) -> Sequence[ConsumerSpec]:
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    return [
        ConsumerSpec(
            name="reporting-overview",
            stream=settings.reporting_stream or stream_name(runtime.office),
            filter_subject=settings.reporting_subjects,
            handler=overview.project,
            description="Wushe reporting: the overview read model",
        )
    ]

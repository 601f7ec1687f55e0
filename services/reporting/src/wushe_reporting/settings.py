"""Configuration of the reporting service."""

from pydantic import Field, field_validator

from wushe_events.hub import HUB_STREAM, hub_offices
from wushe_events.subjects import stream_name
from wushe_service.settings import PublicFiguresSettings


class ReportingSettings(PublicFiguresSettings):
    reporting_stream: str | None = Field(
        None,
        description="JetStream stream to project (default: this office's, WUSHE_<OFFICE>;"
        " WUSHE_ALL with WUSHE_HUB_OFFICES)",
    )
    reporting_subjects: str = Field(
        "wushe.*.>",
        description="subjects of that stream to project (all offices by default)",
    )
    hub_offices: str | None = Field(
        None,
        description="on a city hub: the offices, comma-separated, whose streams WUSHE_ALL"
        " sources over leaf nodes (creates WUSHE_ALL, adds missing offices to it)",
    )
    reporting_stale_after: float = Field(
        300.0,
        gt=0,
        description="seconds without contact from an office (its hub link, or its last event"
        " without one) after which /api/lag calls it stale",
    )

    reporting_month_close: bool = Field(
        True,
        description="keep each month's snapshot by itself (off: only `wushe reporting snapshot`)",
    )
    reporting_month_close_hours: float = Field(
        24.0,
        ge=0,
        description="hours after a month ends before its snapshot is taken by itself: time for"
        " offices that were offline to catch up",
    )

    @field_validator("hub_offices")
    @classmethod
    def _offices(cls, value: str | None) -> str | None:
        if value is not None:
            hub_offices(value)
        return value

    def offices_of_hub(self) -> list[str]:
        return hub_offices(self.hub_offices) if self.hub_offices else []

    def configured_offices(self) -> set[str]:
        """The offices this service reports on by its configuration (a hub's, else its own):
        known before their first event, with zeros."""
        return set(self.offices_of_hub()) or {self.office}

    def office_names(self) -> dict[str, str]:
        """The offices' names as people read them, where known: this office's own
        (WUSHE_OFFICE_NAME). No event names an office, so a hub's others go by their code."""
        return {self.office: self.office_name} if self.office_name else {}

    def stream(self) -> str:
        """The stream to project: the one set, else the hub's or this office's."""
        if self.reporting_stream:
            return self.reporting_stream
        return HUB_STREAM if self.hub_offices else stream_name(self.office)
